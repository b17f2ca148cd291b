package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Simulator} run's uploads came to so far, counted from many upload threads at once: events sent,
 * accepted, rejected and lost to errors, sync requests answered, each upload's latency, and which event ids each
 * device sent and had accepted. Becomes the run's {@link Simulator.Summary}.
 */
final class UploadTally {

    private final Map<String, Set<String>> accepted = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> sent = new ConcurrentHashMap<>();
    private final AtomicLong sentCount = new AtomicLong();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong rejectedCount = new AtomicLong();
    private final AtomicLong errorCount = new AtomicLong();
    private final AtomicLong commandsAnswered = new AtomicLong();
    private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());

    /** An upload of these events is about to be sent (retries count once). */
    void sent(String deviceId, List<ObjectNode> events) {
        Set<String> sentIds = sent.computeIfAbsent(deviceId, k -> Collections.synchronizedSet(new LinkedHashSet<>()));
        events.forEach(e -> sentIds.add(e.get("event_id").asText()));
        sentCount.addAndGet(events.size());
    }

    /** An upload got an HTTP answer after this long. */
    void answeredAfter(long micros) {
        latenciesMicros.add(micros);
    }

    /** An upload was taken (202): what its answer accepted and rejected, and the sync requests it answered. */
    void taken(String deviceId, JsonNode response, long requestsAnswered) {
        Set<String> ids = accepted.computeIfAbsent(deviceId, k -> Collections.synchronizedSet(new LinkedHashSet<>()));
        response.path("accepted").forEach(id -> ids.add(id.asText()));
        acceptedCount.addAndGet(response.path("accepted").size());
        rejectedCount.addAndGet(response.path("rejected").size());
        commandsAnswered.addAndGet(requestsAnswered);
    }

    /** An upload was refused as a whole (400). */
    void rejected(int events) {
        rejectedCount.addAndGet(events);
    }

    /** An upload's events were lost: no token, no answer, or an answer other than 202 and 400. */
    void errors(int events) {
        errorCount.addAndGet(events);
    }

    long sent() {
        return sentCount.get();
    }

    long accepted() {
        return acceptedCount.get();
    }

    long rejected() {
        return rejectedCount.get();
    }

    long errors() {
        return errorCount.get();
    }

    /** The summary of a run whose uploads took {@code seconds}. */
    Simulator.Summary summary(double seconds) {
        long[] lat;
        synchronized (latenciesMicros) {
            lat = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return new Simulator.Summary(sentCount.get(), acceptedCount.get(), rejectedCount.get(), errorCount.get(),
                commandsAnswered.get(), lat.length, seconds, seconds > 0 ? sentCount.get() / seconds : 0,
                percentile(lat, 50), percentile(lat, 95), percentile(lat, 99), copy(accepted), copy(sent));
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> m) {
        Map<String, Set<String>> c = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            synchronized (v) {
                c.put(k, Set.copyOf(v));
            }
        });
        return c;
    }

    private static double percentile(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, i))] / 1000.0;
    }
}
