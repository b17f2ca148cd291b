package com.pisync.aws.live;

import com.pisync.aws.dynamodb.LiveConnectionStore;
import com.pisync.aws.observability.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a delivery's live messages to the connections allowed to see them — the same code on AWS (fed by the
 * stream function, sending through the Management API) and locally (fed by the runner's stream poller, sending
 * on its own sockets).
 *
 * <p>Reads, per delivery: the fleet-wide connections (one Query), whether any site-bound connection exists (one
 * Query of one key), and only then, per site the delivery touches, that site's connections. With no dashboard
 * connected a delivery costs two empty index reads and sends nothing. Messages about the same thing in one
 * delivery (a device updated three times) are sent once, the last.
 */
public final class LiveFanout {

    private static final Log LOG = Log.of("live");

    /** What one delivery did. */
    public record Result(int messages, int sent, int gone) {
    }

    private final LiveConnectionStore connections;
    private final LiveSockets sockets;

    public LiveFanout(LiveConnectionStore connections, LiveSockets sockets) {
        this.connections = connections;
        this.sockets = sockets;
    }

    public Result deliver(List<LiveMessage> messages) {
        return deliver(() -> messages);
    }

    /**
     * As {@link #deliver(List)}, the messages made only when someone is connected: with no dashboard open, a delivery
     * costs the two empty index reads and nothing else (no views built, no device read for a sync request's site).
     */
    public Result deliver(java.util.function.Supplier<List<LiveMessage>> makeMessages) {
        List<String> fleetWide = connections.fleetWide();
        boolean anyBound = connections.anySiteBound();
        if (fleetWide.isEmpty() && !anyBound) {
            return new Result(0, 0, 0);
        }
        List<LiveMessage> messages = makeMessages.get();
        Map<String, LiveMessage> latest = new LinkedHashMap<>();
        for (LiveMessage m : messages) {
            latest.remove(m.key()); // re-inserted last: order of the latest change
            latest.put(m.key(), m);
        }
        Map<String, List<String>> bySite = new HashMap<>();
        Set<String> gone = new HashSet<>();
        int sent = 0;
        for (LiveMessage m : latest.values()) {
            List<String> to = new ArrayList<>(fleetWide);
            if (anyBound && m.site() != null) {
                to.addAll(bySite.computeIfAbsent(m.site(), connections::ofSite));
            }
            for (String connection : to) {
                if (gone.contains(connection)) {
                    continue;
                }
                boolean delivered;
                try {
                    delivered = sockets.send(connection, m.json());
                } catch (RuntimeException e) {
                    // Live updates are best effort: one failing socket must not hold back the others (nor the stream).
                    LOG.warn("live message not sent", Map.of("connection", connection, "type", m.type()), e);
                    continue;
                }
                if (delivered) {
                    sent++;
                } else {
                    gone.add(connection);
                }
            }
        }
        for (String connection : gone) {
            connections.disconnect(connection);
        }
        return new Result(latest.size(), sent, gone.size());
    }
}
