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
 * The dashboard's list pages at fleet sizes: read capacity units (the DynamoDB engine's ReturnConsumedCapacity)
 * and latency per page (the query handler behind API Gateway-style routing, in process) for every list route
 * of the dashboard, at each size. The fleet ({@link PageFleet}) is written through the real stores, so items
 * and index entries are the ones production writes: 5 % of the devices failing now, another 5 % that failed
 * in the last 30 days, 10 % holding unsynced files; one audit entry per registration; an open alert per failing
 * device; incidents and site profiles in proportion to the fleet. Target: flat, at most 10 % growth from the
 * smallest size to the largest.
 *
 * <p>{@code PageCostBenchmark [--sizes 1000,300000] [--repeats 20] [--threads 8]}; figures printed and written to
 * bench/target/pages.txt.
 */
public final class PageCostBenchmark {

    static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    static final String HISTORY_DEVICE = "history-probe";
    static final int HISTORY_EVENTS = 300;
    static final int SYNC_REQUESTS = 60;

    /** The pages measured: name → path (a first page; the second follows its cursor). */
    public static final Map<String, String> PAGES = new LinkedHashMap<>();

    static final String SINCE_30_DAYS = "2026-10-02T10:00:00Z";

    static {
        PAGES.put("device list", "/v1/devices?limit=25");
        PAGES.put("device list, status=failing", "/v1/devices?status=failing&limit=25");
        PAGES.put("device list, site=school-7", "/v1/devices?site=school-7&limit=25");
        PAGES.put("failing devices", "/v1/devices/failing?limit=25");
        PAGES.put("repeated failures (7 days, ≥ 3)", "/v1/devices/repeated-failures?limit=25");
        PAGES.put("repeated failures (30 days, ≥ 1)", "/v1/devices/repeated-failures?limit=25&min_failures=1&since="
                + SINCE_30_DAYS);
        PAGES.put("data at risk", "/v1/devices/at-risk?limit=25");
        PAGES.put("data at risk, site=school-3", "/v1/devices/at-risk?site=school-3&limit=25");
        PAGES.put("sync errors", "/v1/sync-errors?limit=25&from=2026-10-25T00:00:00Z");
        PAGES.put("a device's history", "/v1/devices/" + HISTORY_DEVICE + "/sync-events?limit=25");
        PAGES.put("a device's sync requests", "/v1/devices/" + HISTORY_DEVICE + "/sync-requests?limit=25");
        PAGES.put("alerts", "/v1/alerts?limit=25");
        PAGES.put("alerts, state=open", "/v1/alerts?state=open&limit=25");
        PAGES.put("alerts, site=school-0", "/v1/alerts?site=school-0&limit=25");
        PAGES.put("incidents", "/v1/incidents?limit=25");
        PAGES.put("incidents, state=resolved", "/v1/incidents?state=resolved&limit=25");
        PAGES.put("audit log", "/v1/audit?limit=25");
        PAGES.put("audit log, action=device.register", "/v1/audit?action=device.register&limit=25");
        PAGES.put("sites", "/v1/sites?limit=25");
    }

    /** The id that tells a list's items apart, by the first of these fields an item has. */
    static final List<String> ITEM_IDS = List.of("request_id", "alert_id", "incident_id", "audit_id", "event_id",
            "device_id", "site");

    /** One page at one size: RCU per page (first and second averaged), latency per page in ms. */
    public record PageFigures(String page, int devices, double rcu, double p50Millis, double p90Millis) {
    }

    private final RequestMeter meter = new RequestMeter();
    private final LocalPiSync stack;
    private final PageFleet fleet;
    private int loaded;
    private int sites;
    private int incidents;

    public PageCostBenchmark() {
        stack = new LocalPiSync(TestBed.shared(), Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC), 3, meter);
        fleet = new PageFleet(stack, T0);
    }

    public static void main(String[] args) throws Exception {
        CostBenchmark.quietLibraries();
        List<Integer> sizes = List.of(1_000, 100_000);
        int repeats = 20;
        int threads = 8;
        List<String> a = Args.of(args);
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--sizes" -> sizes = Arrays.stream(a.get(++i).split(",")).map(Integer::parseInt).toList();
                case "--repeats" -> repeats = Integer.parseInt(a.get(++i));
                case "--threads" -> threads = Integer.parseInt(a.get(++i));
                default -> throw new IllegalArgumentException("unknown option " + a.get(i));
            }
        }
        PageCostBenchmark bench = new PageCostBenchmark();
        List<PageFigures> all = new ArrayList<>();
        for (int size : sizes) {
            int from = bench.loaded;
            long t0 = System.nanoTime();
            bench.loadTo(size, threads);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "pages: %,d devices loaded (%,d new in %.0f s, %.0f devices/s; heap used %,d MB)%n",
                    size, size - from, seconds, (size - from) / seconds, (rt.totalMemory() - rt.freeMemory()) >> 20);
            all.addAll(bench.measure(repeats));
        }
        String report = report(all, sizes);
        System.out.println(report);
        System.out.println("written to " + Reports.write("pages", report));
        System.exit(0);
    }

    /**
     * Registers devices up to {@code total} (and, the first time, the history device and its sync requests);
     * site profiles (one per 500 devices, at least 60) and incidents (one per 1,000 devices, at least 60) follow.
     */
    public void loadTo(int total, int threads) throws Exception {
        if (loaded == 0) {
            fleet.historyDevice(HISTORY_DEVICE, HISTORY_EVENTS);
            fleet.syncRequests(HISTORY_DEVICE, SYNC_REQUESTS);
        }
        fleet.devices(loaded, total, threads);
        loaded = total;
        int wantedSites = Math.max(60, total / 500);
        fleet.sites(sites, wantedSites);
        sites = Math.max(sites, wantedSites);
        int wantedIncidents = Math.max(60, total / 1000);
        fleet.incidents(incidents, wantedIncidents);
        incidents = Math.max(incidents, wantedIncidents);
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
                    String id = ITEM_IDS.stream().filter(f -> item.path(f).isTextual()).findFirst().map(f -> item.get(f).asText())
                            .orElseThrow(() -> new IllegalStateException(page.getKey() + ": no id in " + item));
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
        b.append(String.format(Locale.ROOT, "%-36s", "page"));
        for (int size : sizes) {
            b.append(String.format(Locale.ROOT, " | %,9d devices: RCU, p50/p90 ms", size));
        }
        b.append(" | RCU growth\n");
        for (String page : PAGES.keySet()) {
            b.append(String.format(Locale.ROOT, "%-36s", page));
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

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
