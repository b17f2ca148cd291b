package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Repeated failures through the local stack (ingest, processor, the failure ranking, the query handler):
 * every page against a brute-force count of the failures sent, for windows of every reach, minimums and page
 * sizes, paged to the end without a device twice or missing.
 */
class RepeatedFailuresApiTest {

    private final Pipeline p = new Pipeline();
    private final LocalPiSync api = p.stack;
    /** Device → timestamps of its failed syncs, as sent. */
    private final Map<String, List<Instant>> failures = new TreeMap<>();

    @Test
    void everyWindowMinimumAndPageSizeMatchesABruteForceCount() throws Exception {
        loadRandomFleet(new Random(11), 40);
        Instant now = p.clock.instant();
        for (int back : new int[] {0, 1, 3, 7, 12, 20, 30}) {
            Instant since = now.minus(Duration.ofDays(back));
            for (int min : new int[] {1, 3, 6}) {
                int limit = 1 + (back + min) % 7;
                assertEquals(bruteForce(since, min), pageThroughAll("since=" + since + "&min_failures=" + min, limit),
                        "since " + since + " min " + min + " limit " + limit);
            }
        }
        assertEquals(bruteForce(now.minus(Duration.ofDays(7)), 3), pageThroughAll("", 4), "default window and minimum");
    }

    @Test
    void failuresOlderThanTheWindowDoNotCountAfterDaysPassWithoutNewEvents() throws Exception {
        loadRandomFleet(new Random(5), 25);
        // Nine days later, nothing new came in: the ranking still holds every device under its old bound.
        p.clock.set(p.clock.instant().plus(Duration.ofDays(9)));
        Instant now = p.clock.instant();
        for (int back : new int[] {2, 10, 30}) {
            Instant since = now.minus(Duration.ofDays(back));
            assertEquals(bruteForce(since, 1), pageThroughAll("since=" + since + "&min_failures=1", 3), "since " + since);
        }
        JsonNode tooOld = api.json("GET", "/v1/devices/repeated-failures?since=" + now.minus(Duration.ofDays(31)), null,
                400);
        assertTrue(tooOld.get("errors").findValuesAsText("field").contains("since"));
    }

    @Test
    void aCursorOfAnotherWindowIsRefused() {
        for (String id : List.of("rf-a", "rf-b", "rf-c")) {
            register(id);
            post(id, List.of(p.clock.instant().minus(Duration.ofHours(2)), p.clock.instant().minus(Duration.ofHours(1))),
                    List.of());
        }
        assertEquals(0, p.drain());
        JsonNode first = api.json("GET", "/v1/devices/repeated-failures?min_failures=2&limit=1", null, 200);
        String cursor = LocalPiSync.encode(first.get("next_cursor").asText());
        api.json("GET", "/v1/devices/repeated-failures?min_failures=2&limit=1&cursor=" + cursor, null, 200);
        api.json("GET", "/v1/devices/repeated-failures?min_failures=3&limit=1&cursor=" + cursor, null, 400);
    }

    /** Devices with failures on random days of the last 30 (some none), successes between, sent in batches. */
    private void loadRandomFleet(Random random, int devices) {
        Instant now = p.clock.instant();
        for (int d = 0; d < devices; d++) {
            String id = String.format("rf-%03d", d);
            register(id);
            List<Instant> failed = new ArrayList<>();
            List<Instant> ok = new ArrayList<>();
            int style = random.nextInt(4);
            for (int day = 0; day <= 30; day++) {
                int n = style == 0 ? 0 : random.nextInt(10) < 2 + style ? random.nextInt(style * 3) : 0;
                for (int k = 0; k < n; k++) {
                    failed.add(now.minus(Duration.ofDays(day)).minusSeconds(60L * k + 30));
                }
                if (random.nextBoolean()) {
                    ok.add(now.minus(Duration.ofDays(day)).minusSeconds(7000));
                }
            }
            failures.put(id, failed);
            post(id, failed, ok);
        }
        assertEquals(0, p.drain());
    }

    private void register(String id) {
        api.json("POST", "/v1/devices", "{\"device_id\":\"" + id + "\",\"name\":\"Device " + id
                + "\",\"type\":\"PiBook\",\"site\":\"school-r\",\"tags\":[]}", 201);
    }

    private void post(String id, List<Instant> failed, List<Instant> ok) {
        List<String> events = new ArrayList<>();
        failed.forEach(t -> events.add(event(id, t, true)));
        ok.forEach(t -> events.add(event(id, t, false)));
        for (int from = 0; from < events.size(); from += 400) {
            List<String> batch = events.subList(from, Math.min(events.size(), from + 400));
            assertEquals(202, p.post(SyncPipelineTest.batch(batch)).getStatusCode());
        }
    }

    private static String event(String id, Instant t, boolean failed) {
        return "{\"device_id\":\"" + id + "\",\"event_id\":\"" + id + "-" + t.toEpochMilli() + "\",\"timestamp\":\"" + t
                + "\",\"total_files_synced\":" + (failed ? 0 : 5) + ",\"total_errors\":" + (failed ? 1 : 0)
                + ",\"internet_speed\":2.5,\"pending_files\":0"
                + (failed ? ",\"error_code\":\"NET\",\"error_message\":\"timeout\"" : "") + "}";
    }

    /** What the answer must be: failures on or after the UTC day of {@code since}, most first, then device id. */
    private List<String> bruteForce(Instant since, int min) {
        String day = since.toString().substring(0, 10);
        List<Map.Entry<String, Integer>> counted = new ArrayList<>();
        failures.forEach((id, times) -> {
            int n = (int) times.stream().filter(t -> t.toString().substring(0, 10).compareTo(day) >= 0).count();
            if (n >= min) {
                counted.add(Map.entry(id, n));
            }
        });
        counted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return counted.stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** Every page of the list, each device once, as "id=failed_syncs". */
    private List<String> pageThroughAll(String query, int limit) {
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = api.json("GET", "/v1/devices/repeated-failures?limit=" + limit + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + LocalPiSync.encode(cursor)), null, 200);
            for (JsonNode item : page.get("items")) {
                assertTrue(seen.add(item.get("device_id").asText()), item + " twice");
                all.add(item.get("device_id").asText() + "=" + item.get("failed_syncs").asInt());
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            assertTrue(cursor == null || page.get("items").size() == limit, "a page before the last is full");
        } while (cursor != null);
        return all;
    }
}
