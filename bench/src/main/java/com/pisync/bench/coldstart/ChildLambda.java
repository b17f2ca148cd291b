package com.pisync.bench.coldstart;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cold start: a fresh JVM running the real Lambda runtime interface client
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>}) against a {@link RuntimeApiServer}
 * on loopback, limited to one CPU ({@code taskset -c 0} when available, and {@code -XX:ActiveProcessorCount=1}).
 * Timed from just before the process is started to the moment its {@code POST .../response} arrives.
 */
final class ChildLambda {

    /** The JVM settings a run uses; {@code javaToolOptions} null means the variable is not set. */
    record JvmMode(String name, String javaToolOptions) {
        static final JvmMode DEFAULT = new JvmMode("default", null);
        /** What the CDK app sets today (infra FunctionFactory.JAVA_TOOL_OPTIONS). */
        static final JvmMode C1_ONLY = new JvmMode("c1", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    }

    /** A measured cold start: total = process start → first response; init = start → first poll of next. */
    record Result(String function, JvmMode mode, double totalMs, double initMs, double invokeMs, double cpuMs,
            RuntimeApiServer.Outcome outcome, Path log) {
    }

    private static final boolean TASKSET = new File("/usr/bin/taskset").canExecute() || new File("/bin/taskset").canExecute();
    private static final long TIMEOUT_SECONDS = 90;

    private final List<Path> runtimeJars;
    private final Path logDir;

    /** @param runtimeJars the runtime interface client and what it needs (Lambda's /var/runtime/lib) */
    ChildLambda(List<Path> runtimeJars, Path logDir) throws IOException {
        this.runtimeJars = List.copyOf(runtimeJars);
        this.logDir = Files.createDirectories(logDir);
    }

    /**
     * CPU time (user + system, all threads) the process has used, from /proc/PID/stat in clock ticks (100 Hz: 10 ms
     * resolution). Unlike wall time it barely changes when other work shares the CPU. NaN where /proc is missing.
     */
    static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * 10.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static boolean pinsToOneCpu() {
        return TASKSET;
    }

    /**
     * @param extraJvmOptions diagnostics, e.g. {@code -Xlog:class+load:file=...}; empty for timed runs
     */
    Result run(String function, Path code, String handler, int memoryMb, String event, Map<String, String> environment,
            JvmMode mode, String runLabel, List<String> extraJvmOptions) throws IOException, InterruptedException {
        Path log = logDir.resolve(function + "-" + mode.name() + "-" + runLabel + ".log");
        Path taskRoot = Files.createDirectories(logDir.resolve("task-root")); // empty: classes come from -cp
        try (RuntimeApiServer api = new RuntimeApiServer(event, "pisync-" + function)) {
            List<String> command = new ArrayList<>();
            if (TASKSET) {
                command.addAll(List.of("taskset", "-c", "0"));
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Lambda's Java runtime: serial GC, CDS on, heap sized from the function's memory.
            command.addAll(List.of("-XX:ActiveProcessorCount=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-XX:MaxRAM=" + memoryMb + "m", "-Xmx" + (memoryMb * 85 / 100) + "m"));
            command.addAll(extraJvmOptions);
            List<String> classpath = new ArrayList<>();
            classpath.add(code.toAbsolutePath().toString());
            runtimeJars.forEach(j -> classpath.add(j.toAbsolutePath().toString()));
            command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath),
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler));

            ProcessBuilder pb = new ProcessBuilder(command).directory(taskRoot.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(environment);
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("_HANDLER", handler);
            env.put("AWS_LAMBDA_FUNCTION_NAME", "pisync-" + function);
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/pisync-" + function);
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/22/[$LATEST]coldstart");
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON"); // the CDK app's loggingFormat
            env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("TZ", ":UTC");
            env.put("LANG", "en_US.UTF-8");
            if (mode.javaToolOptions() != null) {
                env.put("JAVA_TOOL_OPTIONS", mode.javaToolOptions());
            }

            long start = System.nanoTime();
            Process process = pb.start();
            try {
                RuntimeApiServer.Outcome outcome = api.outcome().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                double cpu = cpuMillis(process.pid()); // the child now waits for its next event: no more CPU
                double total = (outcome.answeredAtNanos() - start) / 1e6;
                double init = outcome.nextAtNanos() == 0 ? Double.NaN : (outcome.nextAtNanos() - start) / 1e6;
                return new Result(function, mode, total, init, total - init, cpu, outcome, log);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(function + " (" + mode.name() + ") gave no answer within " + TIMEOUT_SECONDS
                        + " s (exit " + (process.isAlive() ? "still running" : process.exitValue()) + "); see " + log, e);
            } finally {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
