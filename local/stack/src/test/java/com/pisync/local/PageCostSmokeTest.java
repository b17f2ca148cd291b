package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's list pages at 200 and then 400 devices: each page full, no entry on two pages, filters
 * respected, and the read capacity of a page the same at both sizes (a page reads a page per index shard plus its
 * devices, never the fleet). The figures at 1,000 and 100,000 devices, with latency, come from the page
 * benchmark: bench/…/pages/PageCostBenchmark (docs/performance.md).
 */
class PageCostSmokeTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final List<String> PAGES = List.of(
            "/v1/devices?limit=25",
            "/v1/devices?status=failing&limit=25",
            "/v1/devices?site=school-1&limit=25",
            "/v1/devices/failing?limit=25",
            "/v1/sync-errors?limit=25&from=2026-10-25T00:00:00Z");

    private final Pipeline p = new Pipeline();

    @Test
    void pagesAreCorrectAndCostTheSameAt200And400Devices() {
        load(0, 200);
        Map<String, Double> small = measure();
        load(200, 400);
        Map<String, Double> large = measure();
        for (String page : PAGES) {
            assertTrue(small.get(page) > 0, page);
            assertTrue(large.get(page) <= small.get(page) * 1.10 + 0.5,
                    page + " grew from " + small.get(page) + " to " + large.get(page) + " RCU");
        }
    }

    /** RCU of the first two pages of each list, averaged; checks both pages are full, distinct and filtered. */
    private Map<String, Double> measure() {
        Map<String, Double> cost = new LinkedHashMap<>();
        for (String page : PAGES) {
            p.meter.reset();
            JsonNode first = p.stack.json("GET", page, null, 200);
            JsonNode second = p.stack.json("GET", page + "&cursor="
                    + LocalPiSync.encode(first.get("next_cursor").asText()), null, 200);
            cost.put(page, p.meter.readUnits() / 2);
            Set<String> seen = new HashSet<>();
            for (JsonNode items : List.of(first.get("items"), second.get("items"))) {
                assertEquals(25, items.size(), page);
                for (JsonNode item : items) {
                    String id = item.has("event_id") ? item.get("event_id").asText() : item.get("device_id").asText();
                    assertTrue(seen.add(id), page + ": " + id + " on both pages");
                    if (page.contains("failing")) {
                        assertEquals("failing", item.path("status").asText(), page + ": " + id);
                    }
                    if (page.contains("site=school-1")) {
                        assertEquals("school-1", item.path("site").asText(), page + ": " + id);
                    }
                }
            }
        }
        return cost;
    }

    /** Devices [from, to) through the real stores: one in four failing (three failed syncs), 4 sites. */
    private void load(int from, int to) {
        DeviceRegistry registry = new DeviceRegistry(p.dynamo, p.config.devicesTable());
        DeviceStore devices = new DeviceStore(p.dynamo, p.config.devicesTable());
        SyncEventStore history = new SyncEventStore(p.dynamo, p.config.syncEventsTable(), p.config.historyRetention());
        DeviceStateUpdater updater = new DeviceStateUpdater(3);
        for (int i = from; i < to; i++) {
            String id = String.format("smoke-%05d", i);
            String site = "school-" + (i % 4);
            var item = registry.register(new DeviceProfile(id, "Device " + i, i % 3 == 0 ? "PiBox" : "PiBook", site,
                    List.of()), T0);
            boolean failing = i % 4 == 0;
            List<ReceivedSyncEvent> events = new ArrayList<>();
            for (int m = 1; m <= (failing ? 3 : 1); m++) {
                events.add(new ReceivedSyncEvent(new SyncEvent(id, id + "-" + m, T0.plusSeconds(60L * m + i % 50), null, 3,
                        failing ? 1 : 0, 4.0, failing ? "NET" : null, null, null, null), T0.plusSeconds(3600)));
            }
            DeviceRecord before = DeviceItems.fromItem(id, item);
            var result = updater.apply(before.state(), events, site, k -> FailureStreak.NONE, T0.plusSeconds(3600));
            assertTrue(devices.commit(before, result.state(), failing ? DeviceStatus.FAILING : DeviceStatus.HEALTHY,
                    Set.of(), List.of(), failing ? Map.of("2026-11-01", 3) : Map.of(), T0.plusSeconds(3600)));
            if (failing) {
                history.putNewest(events.stream().map(List::of).toList(), site);
            }
        }
    }
}
