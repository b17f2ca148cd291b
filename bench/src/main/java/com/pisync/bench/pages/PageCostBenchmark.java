package com.pisync.bench.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.bench.cost.Args;
import com.pisync.bench.cost.CostBenchmark;
import com.pisync.bench.cost.Reports;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.local.LocalPiSync;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The dashboard's pages at fleet sizes: read capacity units (the DynamoDB engine's ReturnConsumedCapacity) and
 * latency per page (the query handler behind API Gateway-style routing, in process) for the device list, its
 * status and site filters, failing devices, sync errors and one device's history, at each size. Devices and
 * their state are written through the real stores (registry, processor commit, history), so items and index
 * entries are the ones production writes; one in ten is failing (three failed syncs), the others healthy.
 * Target: flat, at most 10 % growth from the smallest size to the largest.
 *
 * <p>{@code PageCostBenchmark [--sizes 1000,100000] [--repeats 20]}; figures printed and written to
 * bench/target/pages.txt. Moved here from local/stack's PageCostAtScaleTest (which took 4–7 min of CI).
 */
public final class PageCostBenchmark {

    static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    static final String HISTORY_DEVICE = "history-probe";
    static final int HISTORY_EVENTS = 300;

    /** The pages measured: name → path (a first page; the second follows its cursor). */
    public static final Map<String, String> PAGES = new LinkedHashMap<>();

    static {
        PAGES.put("device list", "/v1/devices?limit=25");
        PAGES.put("device list, status=failing", "/v1/devices?status=failing&limit=25");
        PAGES.put("device list, site=school-7", "/v1/devices?site=school-7&limit=25");
        PAGES.put("failing devices", "/v1/devices/failing?limit=25");
        PAGES.put("sync errors", "/v1/sync-errors?limit=25&from=2026-10-25T00:00:00Z");
        PAGES.put("a device's history", "/v1/devices/" + HISTORY_DEVICE + "/sync-events?limit=25");
    }

    /** One page at one size: RCU per page (first and second averaged), latency per page in ms. */
    public record PageFigures(String page, int devices, double rcu, double p50Millis, double p90Millis) {
    }

    private final RequestMeter meter = new RequestMeter();
    private final LocalPiSync stack;
    private int loaded;

    public PageCostBenchmark() {
        stack = new LocalPiSync(TestBed.shared(), Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC), 3, meter);
    }

    public static void main(String[] args) throws Exception {
        CostBenchmark.quietLibraries();
        List<Integer> sizes = List.of(1_000, 100_000);
        int repeats = 20;
        List<String> a = Args.of(args);
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--sizes" -> sizes = Arrays.stream(a.get(++i).split(",")).map(Integer::parseInt).toList();
                case "--repeats" -> repeats = Integer.parseInt(a.get(++i));
                default -> throw new IllegalArgumentException("unknown option " + a.get(i));
            }
        }
        PageCostBenchmark bench = new PageCostBenchmark();
        List<PageFigures> all = new ArrayList<>();
        for (int size : sizes) {
            long t0 = System.nanoTime();
            bench.loadTo(size);
            System.out.printf(Locale.ROOT, "pages: %,d devices loaded (%.0f s)%n", size, (System.nanoTime() - t0) / 1e9);
            all.addAll(bench.measure(repeats));
        }
        String report = report(all, sizes);
        System.out.println(report);
        System.out.println("written to " + Reports.write("pages", report));
        System.exit(0);
    }

    /** Registers devices up to {@code total} (and, the first time, the history device). */
    public void loadTo(int total) throws Exception {
        if (loaded == 0) {
            loadHistoryDevice();
        }
        load(loaded, total);
        loaded = total;
    }

    /** Every page at the current size: RCU of its first two pages averaged; latency over {@code repeats} first pages. */
    public List<PageFigures> measure(int repeats) {
        List<PageFigures> out = new ArrayList<>();
        for (Map.Entry<String, String> page : PAGES.entrySet()) {
            String path = page.getValue();
            meter.reset();
            JsonNode first = stack.json("GET", path, null, 200);
            check(first.get("items").size() == 25, page.getKey() + ": first page not full");
            JsonNode second = stack.json("GET", path + "&cursor=" + LocalPiSync.encode(first.get("next_cursor").asText()),
                    null, 200);
            check(second.get("items").size() == 25, page.getKey() + ": second page not full");
            Set<String> seen = new HashSet<>();
            for (JsonNode items : List.of(first.get("items"), second.get("items"))) {
                for (JsonNode item : items) {
                    String id = item.has("event_id") ? item.get("event_id").asText() : item.get("device_id").asText();
                    check(seen.add(id), page.getKey() + ": " + id + " on both pages");
                    if (path.contains("failing")) {
                        check("failing".equals(item.path("status").asText()), page.getKey() + ": " + id + " is not failing");
                    }
                }
            }
            double rcu = meter.readUnits() / 2;
            long[] micros = new long[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                stack.json("GET", path, null, 200);
                micros[r] = (System.nanoTime() - t0) / 1000;
            }
            Arrays.sort(micros);
            out.add(new PageFigures(page.getKey(), loaded, rcu, micros[(repeats - 1) / 2] / 1000.0,
                    micros[(int) Math.ceil(0.9 * repeats) - 1] / 1000.0));
        }
        return out;
    }

    static String report(List<PageFigures> all, List<Integer> sizes) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "dashboard pages (25 items): RCU per page (first and second page averaged), latency of a first page"
                        + " (in process, DynamoDB engine; p50 / p90)%n"));
        b.append(String.format(Locale.ROOT, "%-30s", "page"));
        for (int size : sizes) {
            b.append(String.format(Locale.ROOT, " | %,9d devices: RCU, p50/p90 ms", size));
        }
        b.append(" | RCU growth\n");
        for (String page : PAGES.keySet()) {
            b.append(String.format(Locale.ROOT, "%-30s", page));
            double firstRcu = -1;
            double lastRcu = 0;
            for (int size : sizes) {
                PageFigures f = all.stream().filter(x -> x.page().equals(page) && x.devices() == size).findFirst().orElseThrow();
                b.append(String.format(Locale.ROOT, " | %8.1f RCU, %6.1f / %6.1f ms", f.rcu(), f.p50Millis(), f.p90Millis()));
                firstRcu = firstRcu < 0 ? f.rcu() : firstRcu;
                lastRcu = f.rcu();
            }
            b.append(String.format(Locale.ROOT, " | %+.1f %%%n", (lastRcu / firstRcu - 1) * 100));
        }
        return b.toString();
    }

    /** A device with {@value #HISTORY_EVENTS} events in its history, one in five failed. */
    private void loadHistoryDevice() {
        DeviceRegistry registry = new DeviceRegistry(stack.dynamo, stack.config.devicesTable());
        SyncEventStore history = new SyncEventStore(stack.dynamo, stack.config.syncEventsTable(), stack.config.historyRetention());
        registry.register(new DeviceProfile(HISTORY_DEVICE, "History probe", "PiBook", "school-0", List.of()), T0);
        List<ReceivedSyncEvent> events = new ArrayList<>();
        for (int m = 1; m <= HISTORY_EVENTS; m++) {
            boolean failed = m % 5 == 0;
            events.add(new ReceivedSyncEvent(new SyncEvent(HISTORY_DEVICE, HISTORY_DEVICE + "-" + m, T0.plusSeconds(10L * m),
                    null, 3, failed ? 1 : 0, 4.0, failed ? "NET" : null, null, null, null), T0.plusSeconds(3600)));
        }
        for (int from = 0; from < events.size(); from += 25) {
            history.putAll(events.subList(from, Math.min(events.size(), from + 25)), "school-0");
        }
    }

    /**
     * Registers devices [from, to): one in ten failing (three failed syncs, with their history), the others
     * healthy (one success); 20 sites.
     */
    private void load(int from, int to) throws Exception {
        DeviceRegistry registry = new DeviceRegistry(stack.dynamo, stack.config.devicesTable());
        DeviceStore devices = new DeviceStore(stack.dynamo, stack.config.devicesTable());
        SyncEventStore history = new SyncEventStore(stack.dynamo, stack.config.syncEventsTable(), stack.config.historyRetention());
        DeviceStateUpdater updater = new DeviceStateUpdater(3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            int chunk = 500;
            for (int start = from; start < to; start += chunk) {
                int s = start;
                work.add(pool.submit(() -> {
                    for (int i = s; i < Math.min(to, s + chunk); i++) {
                        String id = String.format(Locale.ROOT, "scale-%06d", i);
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
                        DeviceRecord before = DeviceItems.fromItem(id, item);
                        var result = updater.apply(before.state(), events, site, k -> FailureStreak.NONE, T0.plusSeconds(3600));
                        DeviceStatus status = failing ? DeviceStatus.FAILING : DeviceStatus.HEALTHY;
                        Map<String, Integer> days = failing ? Map.of("2026-11-01", 3) : Map.of();
                        check(devices.commit(before, result.state(), status, Set.of(), List.of(), days, T0.plusSeconds(3600)),
                                "commit of " + id);
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
        } finally {
            pool.shutdown();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
