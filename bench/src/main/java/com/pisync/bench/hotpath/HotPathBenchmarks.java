package com.pisync.bench.hotpath;

import com.pisync.bench.coldstart.ColdStartBenchmark;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the hot-path JMH benchmarks ({@link ProcessorBenchmark}, {@link IngestBenchmark}) with one benchmark thread,
 * each fork pinned to one CPU ({@code taskset -c 0} when available, so the processor's worker threads share that
 * core too), and reports events per second per core next to the target. Writes {@code bench/target/hotpath.txt}.
 *
 * <pre>java -cp ... com.pisync.bench.hotpath.HotPathBenchmarks [--forks 1] [--warmups 3] [--iterations 5]
 *     [--seconds 2] [--include Processor] [--prof gc]</pre>
 */
public final class HotPathBenchmarks {

    /** The processor's target: its own work per event, network excluded. */
    static final double PROCESSOR_TARGET_EVENTS_PER_SECOND = 100_000;

    private HotPathBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = ColdStartBenchmark.options(args);
        Path repo = ColdStartBenchmark.repoRoot();
        Path out = repo.resolve("bench/target/hotpath.txt");
        String profilers = o.getOrDefault("prof", "gc");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HotPathBenchmarks.class.getPackageName() + "\\." + o.getOrDefault("include", "") + ".*Benchmark")
                .threads(1)
                .forks(Integer.parseInt(o.getOrDefault("forks", "1")))
                .warmupIterations(Integer.parseInt(o.getOrDefault("warmups", "3")))
                .warmupTime(TimeValue.seconds(Long.parseLong(o.getOrDefault("seconds", "2"))))
                .measurementIterations(Integer.parseInt(o.getOrDefault("iterations", "5")))
                .measurementTime(TimeValue.seconds(Long.parseLong(o.getOrDefault("seconds", "2"))))
                .jvmArgsAppend("-XX:+UseSerialGC", "-Xmx512m");
        for (String p : profilers.split(",")) {
            if (!p.isBlank() && !p.equals("none")) {
                int colon = p.indexOf(':'); // e.g. stack:lines=3;top=20
                if (colon < 0) {
                    options.addProfiler(p.trim());
                } else {
                    options.addProfiler(p.substring(0, colon).trim(), p.substring(colon + 1));
                }
            }
        }
        Path oneCpu = o.containsKey("no-pin") ? null : oneCpuJava(repo.resolve("bench/target/hotpath"));
        if (oneCpu != null) {
            options.jvm(oneCpu.toString());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        long cpuSeconds = Long.parseLong(o.getOrDefault("cpu-seconds", "4"));

        StringBuilder report = new StringBuilder();
        report.append("Hot-path CPU, network excluded (JMH 1.37, 1 benchmark thread, ").append(o.getOrDefault("forks", "1"))
                .append(" fork(s), ").append(oneCpu != null ? "each fork pinned with taskset -c 0" : "not pinned (no taskset)")
                .append(", -XX:+UseSerialGC), ").append(Instant.now()).append('\n');
        report.append("JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append('\n');
        report.append("events/s (wall) = JMH ops/s × events per op on one pinned CPU shared with whatever else runs there;\n"
                + "events/CPU-s = the same operation looped in-process for " + cpuSeconds + " s after a " + cpuSeconds
                + " s warm-up, divided by the JVM's process CPU time (all threads, JIT and GC included): robust to a busy machine.\n");
        report.append(String.format(Locale.ROOT, "| %-32s | %-22s | %16s | %15s | %14s | %13s | %-18s |%n", "benchmark", "shape",
                "ops/s (±99.9%)", "events/s (wall)", "events/CPU-s", "alloc B/event", "target"));
        report.append("|----------------------------------|------------------------|-----------------:|----------------:|---------------:|--------------:|--------------------|\n");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace(HotPathBenchmarks.class.getPackageName() + ".", "");
            boolean processor = name.startsWith("ProcessorBenchmark");
            int perOp = processor ? ProcessorBenchmark.MESSAGES * Integer.parseInt(r.getParams().getParam("eventsPerMessage"))
                    : Integer.parseInt(r.getParams().getParam("eventsPerUpload"));
            String shape = processor ? ProcessorBenchmark.MESSAGES + " msgs × " + r.getParams().getParam("eventsPerMessage") + " event(s)"
                    : "upload of " + perOp + " event(s)";
            Result<?> primary = r.getPrimaryResult();
            double eventsPerSecond = primary.getScore() * perOp;
            Result<?> alloc = r.getSecondaryResults().containsKey("gc.alloc.rate.norm") ? r.getSecondaryResults().get("gc.alloc.rate.norm") : r.getSecondaryResults().get("·gc.alloc.rate.norm");
            String allocPerEvent = alloc == null ? "—" : String.format(Locale.ROOT, "%.0f", alloc.getScore() / perOp);
            double perCpuSecond = cpuSeconds <= 0 ? Double.NaN
                    : eventsPerCpuSecond(name, r.getParams().getParam(processor ? "eventsPerMessage" : "eventsPerUpload"),
                            perOp, cpuSeconds);
            double best = Double.isNaN(perCpuSecond) ? eventsPerSecond : Math.max(eventsPerSecond, perCpuSecond);
            String target = processor ? (best >= PROCESSOR_TARGET_EVENTS_PER_SECOND ? "≥ 100k: met" : "≥ 100k: MISSED")
                    : "— (none)";
            report.append(String.format(Locale.ROOT, "| %-32s | %-22s | %16s | %,15.0f | %,14.0f | %13s | %-18s |%n", name,
                    shape, String.format(Locale.ROOT, "%,.0f ± %,.0f", primary.getScore(), primary.getScoreError()),
                    eventsPerSecond, perCpuSecond, allocPerEvent, target));
        }
        System.out.println();
        System.out.println(report);
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("written to " + out);
    }

    /** Loops one benchmark operation in this JVM and divides the events done by the process CPU time used. */
    static double eventsPerCpuSecond(String benchmark, String param, int eventsPerOp, long seconds) throws Exception {
        java.util.concurrent.Callable<Object> op;
        if (benchmark.startsWith("ProcessorBenchmark")) {
            ProcessorBenchmark b = new ProcessorBenchmark();
            b.eventsPerMessage = Integer.parseInt(param);
            b.setUp();
            op = benchmark.endsWith("recordInline") ? () -> {
                try {
                    return b.recordInline();
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            } : b::processBatch;
        } else {
            IngestBenchmark b = new IngestBenchmark();
            b.eventsPerUpload = Integer.parseInt(param);
            b.setUp();
            op = b::handleUpload;
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long warmEnd = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            op.call();
        }
        long ops = 0;
        long cpuStart = os.getProcessCpuTime();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            op.call();
            ops++;
        }
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        return ops * (double) eventsPerOp / cpu;
    }

    /** A java launcher that pins the JMH fork to CPU 0, or null where taskset is missing. */
    private static Path oneCpuJava(Path dir) throws IOException {
        if (!new File("/usr/bin/taskset").canExecute() && !new File("/bin/taskset").canExecute()) {
            return null;
        }
        Files.createDirectories(dir);
        Path script = dir.resolve("java-on-cpu0.sh");
        Files.writeString(script, "#!/bin/sh\nexec taskset -c 0 '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
