package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * One simulated device of a {@link Simulator} fleet: its token, its counter, its clock, its luck. Writes its sync
 * reports (failures, failure streaks, an offline backlog, a skewed clock) and answers the sync requests it is
 * handed: the next sync carries the request's {@code command_id}.
 */
final class SimulatedDevice {

    private static final String[] SITES = {"north-school", "south-school", "east-campus", "west-library", "harbour-hub"};
    private static final String[] ERRORS = {"E_NETWORK", "E_TIMEOUT", "E_DISK_FULL", "E_CHECKSUM"};

    private final Simulator.Options options;
    private final String runId;
    private final SchoolScenario schools;
    final String id;
    final int index;
    volatile String token;
    private long seq;
    private final Random random;
    private final Duration skew;
    private final ZoneOffset offset;
    private final boolean streaky;
    private final boolean backlog;
    final String site;
    private int streakLeft;
    private int remaining;
    private boolean backlogSent;
    /** Whether a rejected token has been replaced already (only once per run). */
    boolean rotatedOnce;
    private final Deque<String> commands = new ArrayDeque<>();
    /** Requests already answered: listed again until the processor completes them, answered once. */
    private final Set<String> answered = new LinkedHashSet<>();

    SimulatedDevice(Simulator.Options options, String runId, SchoolScenario schools, int index, String id,
            String token, long seq) {
        this.options = options;
        this.runId = runId;
        this.schools = schools;
        this.index = index;
        this.id = id;
        this.token = token;
        this.seq = seq;
        // Mixed, not seed + index: java.util.Random's first draws for nearby seeds are correlated, which made whole
        // runs of devices streaky together (a fleet's failure share then ranged from 17 % to 50 % between seeds).
        this.random = new Random(new java.util.SplittableRandom(options.seed() * 31 + index).nextLong());
        this.skew = options.clockSkew() ? Duration.ofSeconds(random.nextInt(6 * 3600 + 1) - 3 * 3600) : Duration.ZERO;
        this.offset = options.clockSkew() ? ZoneOffset.ofHours(random.nextInt(25) - 12) : ZoneOffset.UTC;
        this.streaky = options.streaks() && (index % 5 == 0 || random.nextDouble() < 0.1);
        this.backlog = options.offlineBacklog() && (index % 4 == 1);
        this.site = SITES[index % SITES.length];
        this.remaining = options.eventsPerDevice() == 0 ? Integer.MAX_VALUE : options.eventsPerDevice();
    }

    /** No syncs left to send and no sync request left to answer. */
    boolean finished() {
        return remaining <= 0 && commands.isEmpty();
    }

    /** The last sequence number used (kept in the tokens file so a later run continues from it). */
    synchronized long seq() {
        return seq;
    }

    /** Its school is closed: in a finite run the syncs it had left fall on a closed day, so it sends none. */
    synchronized void schoolClosed() {
        if (options.eventsPerDevice() > 0) {
            remaining = 0;
        }
    }

    /** Queues the sync requests an upload's answer listed, each once: the next uploads answer them. */
    synchronized void queueRequests(JsonNode requests) {
        for (JsonNode c : requests) {
            String requestId = c.path("request_id").asText(null);
            if (requestId != null && !commands.contains(requestId) && !answered.contains(requestId)) {
                commands.add(requestId);
            }
        }
    }

    /** The next upload: a backlog first for an offline device, else up to a batch of new syncs. */
    synchronized List<ObjectNode> nextUpload(Instant now) {
        int count;
        Duration spacing;
        if (backlog && !backlogSent) {
            backlogSent = true;
            count = Math.min(remaining, Math.min(500, Math.max(options.batch() * 3, 12)));
            spacing = Duration.ofMinutes(20);
        } else {
            count = Math.min(remaining, options.batch());
            spacing = Duration.ofSeconds(30);
        }
        List<ObjectNode> events = new ArrayList<>();
        while (!commands.isEmpty() && events.size() < Math.max(1, count)) {
            String command = commands.poll();
            answered.add(command);
            events.add(event(now, command));
        }
        for (int i = events.size(); i < count; i++) {
            events.add(event(now, null));
        }
        remaining -= Math.min(remaining, count);
        // Oldest first, `spacing` apart, the newest now (device time).
        for (int i = 0; i < events.size(); i++) {
            Instant at = now.plus(skew).minus(spacing.multipliedBy(events.size() - 1 - i)).truncatedTo(ChronoUnit.MILLIS);
            events.get(i).put("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(at, offset)));
        }
        return events;
    }

    private ObjectNode event(Instant now, String commandId) {
        seq++;
        boolean failed;
        if (streakLeft > 0) {
            streakLeft--;
            failed = true;
        } else if (streaky && random.nextDouble() < 0.15) {
            streakLeft = 2 + random.nextInt(4); // this failure and 2–5 more: at least 3 in a row
            failed = true;
        } else {
            failed = random.nextDouble() < options.failureRate();
        }
        boolean networkDown = schools.networkDown(site, now);
        failed |= networkDown;
        ObjectNode e = Simulator.JSON.createObjectNode();
        e.put("device_id", id);
        e.put("event_id", id + "-" + runId + "-" + seq);
        e.put("seq", seq);
        e.put("total_files_synced", failed ? random.nextInt(20) : 1 + random.nextInt(400));
        e.put("total_errors", failed ? 1 + random.nextInt(12) : 0);
        e.put("internet_speed", Math.round((0.5 + random.nextDouble() * 80) * 10) / 10.0);
        if (networkDown) {
            e.put("error_code", "E_NETWORK");
            e.put("error_message", "school network down: no route to the sync server");
            e.put("pending_files", 1 + random.nextInt(200));
        } else if (failed) {
            String code = ERRORS[random.nextInt(ERRORS.length)];
            e.put("error_code", code);
            e.put("error_message", "sync failed: " + code.toLowerCase(Locale.ROOT).substring(2).replace('_', ' '));
            e.put("pending_files", 1 + random.nextInt(200));
        } else {
            SchoolScenario.Pending pending = schools.pending(index, now);
            e.put("pending_files", pending == null ? 0 : pending.files());
            if (pending != null) {
                e.put("oldest_pending_at", pending.since().toString());
            }
        }
        if (commandId != null) {
            e.put("command_id", commandId);
        }
        return e;
    }
}
