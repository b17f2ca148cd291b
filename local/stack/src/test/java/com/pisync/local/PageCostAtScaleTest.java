package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's list pages cost the same read capacity at 1,000 and at 50,000 devices: each page
 * reads at most a page per index shard plus the page's devices, never the fleet. Devices and their
 * state are written through the real stores (registry, processor commit, history), so the items
 * and index entries are the ones production writes. Figures go to target/page-cost.txt.
 */
class PageCostAtScaleTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final List<String> PAGES = List.of(
            "/v1/devices?limit=25",
            "/v1/devices?status=failing&limit=25",
            "/v1/devices?site=school-7&limit=25",
            "/v1/devices/failing?limit=25",
            "/v1/sync-errors?limit=25&from=2026-10-25T00:00:00Z");

    private final Pipeline p = new Pipeline();

    @Test
    void listPagesCostTheSameAt1000And50000Devices() throws Exception {
        load(0, 1_000);
        Map<String, Double> small = measure();
        load(1_000, 50_000);
        Map<String, Double> large = measure();

        StringBuilder report = new StringBuilder("read capacity units per page (first and second page averaged)\n");
        for (String page : PAGES) {
            report.append(String.format(Locale.ROOT, "%-52s 1,000 devices: %5.1f RCU   50,000 devices: %5.1f RCU%n",
                    page, small.get(page), large.get(page)));
        }
        System.out.print(report);
        Files.writeString(Path.of("target", "page-cost.txt"), report, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        for (String page : PAGES) {
            assertTrue(large.get(page) <= small.get(page) * 1.10 + 0.5,
                    page + " grew from " + small.get(page) + " to " + large.get(page) + " RCU\n" + report);
        }
    }

    /** RCU of the first two pages of each list, averaged; also checks the pages are full. */
    private Map<String, Double> measure() {
        Map<String, Double> cost = new LinkedHashMap<>();
        for (String page : PAGES) {
            p.meter.reset();
            var first = p.stack.json("GET", page, null, 200);
            assertEquals(25, first.get("items").size(), page);
            String cursor = first.get("next_cursor").asText();
            var second = p.stack.json("GET", page + "&cursor=" + LocalPiSync.encode(cursor), null, 200);
            assertEquals(25, second.get("items").size(), page);
            cost.put(page, p.meter.readUnits() / 2);
        }
        return cost;
    }

    /**
     * Registers devices [from, to): one in ten is failing (three failed syncs, with their history),
     * the others healthy (one success). 20 sites.
     */
    private void load(int from, int to) throws Exception {
        DeviceRegistry registry = new DeviceRegistry(p.dynamo, p.config.devicesTable());
        DeviceStore devices = new DeviceStore(p.dynamo, p.config.devicesTable());
        SyncEventStore history = new SyncEventStore(p.dynamo, p.config.syncEventsTable(), p.config.historyRetention());
        DeviceStateUpdater updater = new DeviceStateUpdater(3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        int chunk = 500;
        for (int start = from; start < to; start += chunk) {
            int s = start;
            work.add(pool.submit(() -> {
                List<ReceivedSyncEvent> failedHistory = new ArrayList<>();
                for (int i = s; i < Math.min(to, s + chunk); i++) {
                    String id = String.format("scale-%06d", i);
                    String site = "school-" + (i % 20);
                    var item = registry.register(new DeviceProfile(id, "Device " + i, i % 3 == 0 ? "PiBox" : "PiBook",
                            site, List.of()), T0);
                    boolean failing = i % 10 == 0;
                    List<ReceivedSyncEvent> events = new ArrayList<>();
                    for (int m = 1; m <= (failing ? 3 : 1); m++) {
                        events.add(new ReceivedSyncEvent(new SyncEvent(id, id + "-" + m, T0.plusSeconds(60L * m + i % 50),
                                null, 3, failing ? 1 : 0, 4.0, failing ? "NET" : null, null, null, null),
                                T0.plusSeconds(3600)));
                    }
                    DeviceRecord before = com.pisync.aws.dynamodb.DeviceItems.fromItem(id, item);
                    var result = updater.apply(before.state(), events, site, k -> FailureStreak.NONE, T0.plusSeconds(3600));
                    DeviceStatus status = failing ? DeviceStatus.FAILING : DeviceStatus.HEALTHY;
                    Map<String, Integer> days = failing ? Map.of("2026-11-01", 3) : Map.of();
                    assertTrue(devices.commit(before, result.state(), status, Set.of(), List.of(), days,
                            T0.plusSeconds(3600)));
                    if (failing) {
                        history.putAll(events, site);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }
}
