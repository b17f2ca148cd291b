package com.pisync.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.SyncEventItems;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.local.LocalPiSync;
import com.pisync.local.runner.LocalRunner;
import com.pisync.local.runner.RunnerOptions;
import com.pisync.local.runner.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cost per million events, measured: the local runner ({@code ./pisync local}: HTTP server, the real handlers,
 * the DynamoDB engine, ElasticMQ, fauxqs, the SQS and stream event sources) driven over HTTP by the simulator
 * ({@code ./pisync simulate}), with a {@link StackMeter} on every AWS client and function invocation. Devices
 * are registered and report once before the measured run (as in a running fleet); then every device uploads
 * its events, one or a batch per request; the meter is read once the queue is empty and the stream consumers
 * are up to date. Every event is checked stored (each device's total_syncs through the API).
 *
 * <p>{@code CostBenchmark [--events N] [--devices D] [--batches 1,10]}; figures printed and written to
 * bench/target/cost.txt.
 */
public final class CostBenchmark {

    static final String PASSWORD = "Bench-cost-Passw0rd!";
    /** The simulator's seed: every run sends the same failures, so runs compare line by line. */
    static final long SEED = 20261207L;

    /**
     * A fleet's behaviour: the share of syncs that fail at random, and whether some devices fail in streaks.
     * {@code harsh}: 10 % random failures plus streaky devices (about 18 % of events fail, 3 % are alert
     * transitions); {@code healthy}: 5 % random failures and no streaky devices (three in a row are rare).
     */
    public enum Fleet {
        HARSH(0.10, true), HEALTHY(0.05, false);

        final double failureRate;
        final boolean streaks;

        Fleet(double failureRate, boolean streaks) {
            this.failureRate = failureRate;
            this.streaks = streaks;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A run: {@code devices} each uploading {@code eventsPerDevice} events, {@code batch} per request. */
    public record Scenario(int devices, int eventsPerDevice, int batch, Fleet fleet) {
        public long events() {
            return (long) devices * eventsPerDevice;
        }
    }

    /** What a run measured. */
    public record Result(Scenario scenario, long stored, long failed, Counts counts, CostModel.PerEvent perEvent,
            Simulator.Summary summary, double[] deviceItemBytes, double[] historyItemBytes, double[] uploadItemBytes,
            List<String> resources,
            double drainSeconds) {
    }

    private CostBenchmark() {
    }

    public static void main(String[] args) {
        int events = 100_000;
        int devices = 1_000;
        List<Integer> batches = List.of(1, 10);
        List<Fleet> fleets = List.of(Fleet.HARSH, Fleet.HEALTHY);
        Path data = defaultDataDir("cost");
        List<String> a = Args.of(args);
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--events" -> events = Integer.parseInt(a.get(++i));
                case "--devices" -> devices = Integer.parseInt(a.get(++i));
                case "--batches" -> batches = Stream.of(a.get(++i).split(",")).map(Integer::parseInt).toList();
                case "--fleets" -> fleets = Stream.of(a.get(++i).split(","))
                        .map(f -> Fleet.valueOf(f.trim().toUpperCase(Locale.ROOT))).toList();
                case "--data-dir" -> data = Path.of(a.get(++i));
                default -> throw new IllegalArgumentException("unknown option " + a.get(i)
                        + " (usage: CostBenchmark [--events N] [--devices D] [--batches 1,10] [--fleets harsh,healthy]"
                        + " [--data-dir DIR])");
            }
        }
        quietLibraries();
        PrintStream console = System.out;
        List<Scenario> scenarios = new ArrayList<>();
        for (Fleet fleet : fleets) {
            for (int batch : batches) {
                scenarios.add(new Scenario(devices, Math.max(1, events / devices), batch, fleet));
            }
        }
        console.println("cost: runner data in " + data);
        List<Result> results = run(scenarios, data, console);
        String report = report(results);
        console.println(report);
        console.println("written to " + Reports.write("cost", report));
        System.exit(0); // the runner's servers leave non-daemon threads behind
    }

    /**
     * Where a benchmark's runner keeps its data: in memory (/dev/shm) when there is one, because the DynamoDB engine
     * and ElasticMQ's H2 store write every commit to disk, which on a shared disk is the local stack's first limit
     * and has nothing to do with what is counted; else bench/target/&lt;name&gt;-data.
     */
    public static Path defaultDataDir(String name) {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm.resolve("pisync-bench-" + name)
                : Reports.dir().resolve(name + "-data");
    }

    /** ElasticMQ and Pekko at WARN, as ./pisync local sets them. */
    public static void quietLibraries() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        java.util.logging.Logger.getLogger("com.amazonaws").setLevel(java.util.logging.Level.SEVERE);
    }

    /**
     * Measured runs, one after another, on one runner with a fresh data folder (ElasticMQ's persistence can be
     * started once per JVM); each scenario has its own devices (prefix ha1-, he10-…: fleet and batch).
     */
    public static List<Result> run(List<Scenario> scenarios, Path data, PrintStream console) {
        deleteTree(data);
        StackMeter meter = new StackMeter();
        // The CDK app's batching windows (the local runner's defaults are shorter, for latency while you watch).
        RunnerOptions options = RunnerOptions.parse(List.of("--port", "0", "--data-dir", data.toString(), "--quiet",
                "--dashboard-dir", data.resolve("no-dashboard").toString(), "--batch-window", "1s",
                "--stats-window", "60s"));
        PrintStream runnerLines = new PrintStream(java.io.OutputStream.nullOutputStream());
        List<Result> results = new ArrayList<>();
        try (LocalRunner runner = LocalRunner.start(options, Map.of("PISYNC_ADMIN_PASSWORD", PASSWORD), runnerLines, meter)) {
            meter.captureLogs();
            for (Scenario s : scenarios) {
                console.printf(Locale.ROOT, "cost: %d devices × %d events, %d per upload…%n", s.devices(),
                        s.eventsPerDevice(), s.batch());
                results.add(run(s, runner, meter, data));
            }
        }
        return results;
    }

    private static Result run(Scenario s, LocalRunner runner, StackMeter meter, Path data) {
        String prefix = s.fleet().label().substring(0, 2) + s.batch() + "-";
        Simulator.Options sim = Simulator.Options.defaults().withUrl(runner.url())
                .withBehaviour(s.fleet().failureRate, s.fleet().streaks, false, false)
                .withPace(0, 8)
                .withLogin("admin", PASSWORD)
                .withFiles(data.resolve("simulator-devices.json"), prefix)
                .withOutput(false, true, 3)
                .withSeed(SEED);
        // Registered and reported once: the devices' items and index entries exist, as in a running fleet.
        Simulator.Summary warm = new Simulator(sim.withFleet(s.devices(), 1, 1)).run();
        check(warm.errors() == 0 && warm.accepted() == s.devices(), "warm-up: " + warm.describe());
        runner.awaitIdle(Duration.ofMinutes(5));
        ApiClient api = new ApiClient(runner.url(), "admin", PASSWORD);
        long[] before = totals(api, prefix, s.devices());
        meter.reset();

        Simulator.Summary summary = new Simulator(sim.withFleet(s.devices(), s.eventsPerDevice(), s.batch())).run();
        long t0 = System.nanoTime();
        runner.awaitIdle(Duration.ofMinutes(30));
        double drain = (System.nanoTime() - t0) / 1e9;
        Counts counts = meter.snapshot();
        check(summary.errors() == 0 && summary.rejected() == 0 && summary.accepted() == s.events(),
                "every event accepted: " + summary.describe());

        LocalPiSync stack = runner.stack();
        long[] after = totals(api, prefix, s.devices());
        long stored = after[0] - before[0];
        check(stored == s.events(), "every event stored once: " + stored + " of " + s.events());
        // this scenario's items only (its devices' prefix): the scenarios share the tables
        double[] deviceBytes = ItemSizes.sample(stack.dynamo, stack.config.devicesTable(), prefix, 2000, i -> true);
        double[] historyBytes = ItemSizes.sample(stack.dynamo, stack.config.syncEventsTable(), prefix, 5000,
                i -> !SyncEventItems.isUpload(i));
        double[] uploadBytes = ItemSizes.sample(stack.dynamo, stack.config.syncEventsTable(), prefix, 5000,
                SyncEventItems::isUpload);
        List<String> resources = new ArrayList<>();
        for (Tables.Table t : Tables.all(stack.config)) {
            String name = t.name().replaceFirst("^pisync-", "");
            resources.add(name);
            t.indexes().forEach(ix -> resources.add(name + "/" + ix.name()));
        }
        meter.reset();
        return new Result(s, stored, after[1] - before[1], counts, CostModel.PerEvent.of(counts, s.events()), summary,
                deviceBytes, historyBytes, uploadBytes, resources, drain);
    }

    /** The fleet's total_syncs and total_failures through the API, summed over its devices. */
    private static long[] totals(ApiClient api, String prefix, int devices) {
        long[] t = new long[2];
        for (int i = 1; i <= devices; i++) {
            JsonNode d = api.json("GET", "/v1/devices/" + prefix + String.format(Locale.ROOT, "%04d", i), null, 200);
            t[0] += d.path("total_syncs").asLong();
            t[1] += d.path("total_failures").asLong();
        }
        return t;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("cost run failed: " + what);
        }
    }

    // ------------------------------------------------------------------------------------------ report

    static final double PILOT_EVENTS_PER_DAY = 50 * 10; // 50 devices, 10 syncs a day each
    static final double FLEET_EVENTS_PER_DAY = 100e6;   // 10 million devices

    public static String report(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append(PriceTable.describe()).append("\n\n");
        for (Result r : results) {
            Scenario s = r.scenario();
            CostModel.PerEvent e = r.perEvent();
            Counts c = r.counts();
            b.append(CostModel.f("== %s fleet, %d event(s) per upload: %d devices × %d events = %d events stored, each once;"
                    + " %.1f %% of them failed (random failures %.2f%s)%n", s.fleet().label(), s.batch(), s.devices(),
                    s.eventsPerDevice(), r.stored(), 100.0 * r.failed() / r.stored(), s.fleet().failureRate,
                    s.fleet().streaks ? ", streaky devices" : ", no streaky devices"));
            b.append(CostModel.f("simulator: %s%n", r.summary().describe().replace("\n", "\n           ")));
            b.append(CostModel.f("queue drained %.1f s after the last upload%n", r.drainSeconds()));
            b.append("\nper event, measured:\n");
            b.append(CostModel.f("  API requests        %.4f%n", e.apiRequests()));
            for (String f : List.of("ingest", "processor", "stats", "sweeper")) {
                Counts.Function fn = c.function(f);
                if (fn.invocations() > 0) {
                    b.append(CostModel.f("  %-10s invocations %d (%.4f/event); local wall clock mean %.2f ms, p50 %.2f ms,"
                            + " p99 %.2f ms, billed %d ms; CPU %.2f ms/invocation; modelled on Lambda %.2f ms/invocation"
                            + " at %d MB; log %d lines, %d bytes%n           AWS requests: %s%n", f, fn.invocations(),
                            fn.invocations() / (double) s.events(), fn.totalMillis() / fn.invocations(), fn.p50Millis(),
                            fn.p99Millis(), fn.billedMillis(), fn.cpuMillis() / fn.invocations(),
                            CostModel.modelledMillis(c, f) / fn.invocations(), CostModel.MEMORY_MB.get(f), fn.logLines(),
                            fn.logBytes(), c.requestsOf(f)));
                }
            }
            b.append("  AWS requests (all, by operation; billed 64 KiB units in brackets):\n");
            c.requests().entrySet().stream().filter(x -> !x.getKey().contains("|")).forEach(x -> { String op = x.getKey(); long n = x.getValue(); b.append(CostModel.f("    %-34s %9d  %.4f/event  [%d]%n", op, n,
                    n / (double) s.events(), c.billed(op))); });
            b.append(CostModel.f("    SQS receives that returned no message: %d of %d; messages received %d%n",
                    c.emptyReceives(), c.requests("Sqs.ReceiveMessage"), c.messagesReceived()));
            b.append("  DynamoDB capacity units per event (event path: ingest, processor, stats), read / write:\n");
            e.capacity().forEach((t, u) -> b.append(CostModel.f("    %-36s %.4f RCU  %.4f WCU%n", t, u[0], u[1])));
            b.append(CostModel.f("    %-36s %.4f RCU  %.4f WCU%n", "total", e.rcu(), e.wcu()));
            b.append("  by function (RCU / WCU per event):");
            c.capacityByFunction().forEach((f, u) -> b.append(CostModel.f("  %s %.4f / %.4f", f, u[0] / s.events(), u[1] / s.events())));
            b.append("\n");
            b.append(CostModel.f("  item bytes (DynamoDB size): devices p50 %.0f p90 %.0f p99 %.0f max %.0f (over 1 KB: %s);"
                    + " history: event items and error entries p50 %.0f p90 %.0f max %.0f, upload items p50 %.0f p90 %.0f"
                    + " max %.0f (0: none)%n",
                    r.deviceItemBytes()[1], r.deviceItemBytes()[2], r.deviceItemBytes()[5], r.deviceItemBytes()[3],
                    r.deviceItemBytes()[5] <= 1024 ? "under 1 % of them" : "1 % or more", r.historyItemBytes()[1],
                    r.historyItemBytes()[2], r.historyItemBytes()[3], r.uploadItemBytes()[1], r.uploadItemBytes()[2],
                    r.uploadItemBytes()[3]));
            b.append(CostModel.f("  access log line %d bytes + %d overhead per request%n",
                    CostModel.ACCESS_LOG_LINE.length(), CostModel.LOG_EVENT_OVERHEAD_BYTES));
            for (CostModel.Mode mode : CostModel.Mode.values()) {
                List<CostModel.LineItem> items = CostModel.perMillion(e, mode, CostModel.LogClass.STANDARD);
                b.append(CostModel.f("%n  $ per million events, DynamoDB %s, logs standard, Lambda duration modelled:%n", mode == CostModel.Mode.ON_DEMAND ? "on-demand" : "provisioned"));
                for (CostModel.LineItem item : items) {
                    b.append(CostModel.f("    %-36s %8.4f   %s%n", item.name(), item.perMillion(), item.quantity()));
                }
                b.append(CostModel.f("    %-36s %8.4f%n", "TOTAL", CostModel.total(items)));
                double ia = CostModel.total(CostModel.perMillion(e, mode, CostModel.LogClass.INFREQUENT_ACCESS));
                b.append(CostModel.f("    %-36s %8.4f%n", "TOTAL with logs infrequent access", ia));
                b.append(CostModel.f("    %-36s %8.4f   (Lambda duration as measured here: %.6f GB-s/event, $%.4f/M)%n",
                        "TOTAL, local wall clock durations", CostModel.total(items) - items.get(2).perMillion()
                                + e.lambdaGbSecondsMeasured() * 1e6 * PriceTable.LAMBDA_PER_GB_SECOND_ARM64,
                        e.lambdaGbSecondsMeasured(), e.lambdaGbSecondsMeasured() * 1e6 * PriceTable.LAMBDA_PER_GB_SECOND_ARM64));
            }
            b.append("\n  a month (30 days), logs standard:\n");
            for (double perDay : new double[] {PILOT_EVENTS_PER_DAY, FLEET_EVENTS_PER_DAY}) {
                for (CostModel.Mode mode : CostModel.Mode.values()) {
                    Map<String, Double> bill = CostModel.monthly(e, perDay, mode, CostModel.LogClass.STANDARD,
                            r.resources(), 5);
                    double total = bill.values().stream().mapToDouble(Double::doubleValue).sum();
                    b.append(CostModel.f("    %,.0f events/day, DynamoDB %s: $%,.2f/month = $%.4f per million events%n",
                            perDay, mode == CostModel.Mode.ON_DEMAND ? "on-demand" : "provisioned", total,
                            total / (perDay * 30 / 1e6)));
                    bill.forEach((k, v) -> b.append(CostModel.f("        %-60s $%,.2f%n", k, v)));
                }
            }
            b.append("\n");
        }
        return b.toString();
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
