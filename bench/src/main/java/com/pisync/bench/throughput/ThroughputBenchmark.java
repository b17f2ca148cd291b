package com.pisync.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.bench.cost.ApiClient;
import com.pisync.bench.cost.Args;
import com.pisync.bench.cost.CostBenchmark;
import com.pisync.bench.cost.Reports;
import com.pisync.local.runner.LocalRunner;
import com.pisync.local.runner.RunnerOptions;
import com.pisync.local.runner.Simulator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Local end-to-end: the runner ({@code ./pisync local}) under a simulated fleet uploading as fast as it is
 * answered, for a fixed time, while probe devices measure how long after its HTTP 202 an event is visible in the
 * device's history ({@code GET /v1/devices/{id}/sync-events}, polled every 20 ms). Throughput is events stored
 * per second: accepted events over the load time plus the time the queue then took to drain.
 *
 * <p>{@code ThroughputBenchmark [--seconds 60] [--devices 200] [--batch 1] [--concurrency 8] [--probes 2]
 * [--data-dir DIR]}; figures printed and written to bench/target/throughput.txt.
 */
public final class ThroughputBenchmark {

    static final String PASSWORD = "Bench-throughput-Passw0rd!";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run measured; latencies in ms. */
    public record Result(int devices, int batch, int concurrency, double loadSeconds, double drainSeconds,
            long accepted, long errors, double acceptedPerSecond, double storedPerSecond, double uploadP50,
            double uploadP99, int probes, double visibleP50, double visibleP99, double visibleMax, long probeTimeouts,
            Path dataDir) {

        public String describe() {
            return String.format(Locale.ROOT, """
                    local end-to-end: %d devices, %d event(s) per upload, %d uploads in flight, %.0f s of load (data in %s)
                      accepted %d events (%d errors): %.1f events/s accepted; queue drained %.1f s after the load
                      sustained: %.1f events/s stored (accepted / (load + drain))
                      upload latency (HTTP 202): p50 %.0f ms, p99 %.0f ms
                      HTTP 202 → visible in GET history: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d probes, %d not seen in 60 s)""",
                    devices, batch, concurrency, loadSeconds, dataDir, accepted, errors, acceptedPerSecond, drainSeconds,
                    storedPerSecond, uploadP50, uploadP99, visibleP50, visibleP99, visibleMax, probes, probeTimeouts);
        }
    }

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) {
        CostBenchmark.quietLibraries();
        int seconds = 60;
        int devices = 200;
        int batch = 1;
        int concurrency = 8;
        int probes = 2;
        Path data = CostBenchmark.defaultDataDir("throughput");
        List<String> runnerArgs = new ArrayList<>();
        List<String> a = Args.of(args);
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--seconds" -> seconds = Integer.parseInt(a.get(++i));
                case "--devices" -> devices = Integer.parseInt(a.get(++i));
                case "--batch" -> batch = Integer.parseInt(a.get(++i));
                case "--concurrency" -> concurrency = Integer.parseInt(a.get(++i));
                case "--probes" -> probes = Integer.parseInt(a.get(++i));
                case "--data-dir" -> data = Path.of(a.get(++i));
                case "--batch-window" -> runnerArgs.addAll(List.of("--batch-window", a.get(++i)));
                default -> throw new IllegalArgumentException("unknown option " + a.get(i) + " (usage: ThroughputBenchmark"
                        + " [--seconds S] [--devices N] [--batch K] [--concurrency C] [--probes P] [--batch-window D]"
                        + " [--data-dir DIR])");
            }
        }
        Result r = run(devices, batch, concurrency, probes, Duration.ofSeconds(seconds), data, runnerArgs);
        String report = r.describe() + "\n";
        System.out.println(report);
        System.out.println("written to " + Reports.write("throughput", report));
        System.exit(0);
    }

    public static Result run(int devices, int batch, int concurrency, int probeCount, Duration load, Path data) {
        return run(devices, batch, concurrency, probeCount, load, data, List.of());
    }

    /** @param runnerArgs more ./pisync local options (e.g. --batch-window 1s, the CDK app's window) */
    public static Result run(int devices, int batch, int concurrency, int probeCount, Duration load, Path data,
            List<String> runnerArgs) {
        CostBenchmark.deleteTree(data);
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data-dir", data.toString(), "--quiet",
                "--dashboard-dir", data.resolve("no-dashboard").toString()));
        args.addAll(runnerArgs);
        RunnerOptions options = RunnerOptions.parse(args);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (LocalRunner runner = LocalRunner.start(options, Map.of("PISYNC_ADMIN_PASSWORD", PASSWORD), quiet)) {
            ApiClient api = new ApiClient(runner.url(), "admin", PASSWORD);
            List<String[]> probeDevices = new ArrayList<>();
            for (int p = 1; p <= probeCount; p++) {
                String id = "probe-" + p;
                JsonNode reg = api.json("POST", "/v1/devices", JSON.createObjectNode().put("device_id", id)
                        .put("name", "Probe " + p).put("type", "PiBook").put("site", "probe-site").toString(), 201);
                probeDevices.add(new String[] {id, reg.path("device_token").asText()});
            }
            Simulator.Options sim = Simulator.Options.defaults().withUrl(runner.url())
                    .withFleet(devices, 0, batch)
                    .withBehaviour(0.1, true, false, false)
                    .withPace(0, concurrency)
                    .withLogin("admin", PASSWORD)
                    .withFiles(data.resolve("simulator-devices.json"), "tp-")
                    .withOutput(false, true, 3);
            // Devices registered (and reported once) before the clock starts.
            Simulator.Summary warm = new Simulator(sim.withFleet(devices, 1, 1)).run();
            if (warm.errors() > 0) {
                throw new IllegalStateException("warm-up: " + warm.describe());
            }
            runner.awaitIdle(Duration.ofMinutes(5));

            Simulator fleet = new Simulator(sim);
            Simulator.Summary[] summary = new Simulator.Summary[1];
            Thread fleetThread = new Thread(() -> summary[0] = fleet.run(), "bench-fleet");
            AtomicBoolean stop = new AtomicBoolean();
            List<Double> visible = Collections.synchronizedList(new ArrayList<>());
            long[] timeouts = new long[1];
            List<Thread> probers = new ArrayList<>();
            for (String[] device : probeDevices) {
                Thread t = new Thread(() -> probe(api, device[0], device[1], stop, visible, timeouts), "bench-probe-" + device[0]);
                probers.add(t);
            }
            long t0 = System.nanoTime();
            fleetThread.start();
            probers.forEach(Thread::start);
            sleep(load.toMillis());
            fleet.stop();
            join(fleetThread);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            probers.forEach(ThroughputBenchmark::join);
            long t1 = System.nanoTime();
            runner.awaitIdle(Duration.ofMinutes(30));
            double drainSeconds = (System.nanoTime() - t1) / 1e9;
            Simulator.Summary s = summary[0];
            double[] v;
            synchronized (visible) {
                v = visible.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            }
            return new Result(devices, batch, concurrency, loadSeconds, drainSeconds, s.accepted(), s.errors(),
                    s.accepted() / loadSeconds, s.accepted() / (loadSeconds + drainSeconds), s.p50(), s.p99(), v.length,
                    percentile(v, 50), percentile(v, 99), v.length == 0 ? 0 : v[v.length - 1], timeouts[0], data);
        }
    }

    /** Posts an event for the device, then polls its history until the event is there; again, until stopped. */
    private static void probe(ApiClient api, String device, String token, AtomicBoolean stop, List<Double> visible,
            long[] timeouts) {
        long seq = 1_000; // after the warm-up's
        while (!stop.get()) {
            seq++;
            String eventId = device + "-" + seq;
            String body = JSON.createObjectNode().put("device_id", device).put("event_id", eventId).put("seq", seq)
                    .put("timestamp", Instant.now().toString()).put("total_files_synced", 3).put("total_errors", 0)
                    .put("internet_speed", 20.0).put("pending_files", 0).toString();
            HttpResponse<String> r = api.send("POST", "/v1/sync-events", body, "Bearer " + token);
            long accepted = System.nanoTime();
            if (r.statusCode() != 202) {
                sleep(100);
                continue;
            }
            boolean seen = false;
            while (System.nanoTime() - accepted < 60_000_000_000L) {
                JsonNode page = api.json("GET", "/v1/devices/" + device + "/sync-events?limit=1", null, 200);
                JsonNode newest = page.path("items").path(0);
                if (eventId.equals(newest.path("event_id").asText())) {
                    visible.add((System.nanoTime() - accepted) / 1e6);
                    seen = true;
                    break;
                }
                sleep(20);
            }
            if (!seen) {
                synchronized (timeouts) {
                    timeouts[0]++;
                }
            }
            sleep(200);
        }
    }

    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
