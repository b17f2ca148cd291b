package com.pisync.local.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The settings of {@code ./pisync local}, from its command line (public for the benchmarks, which start a runner). */
public record RunnerOptions(
        int port,
        Path dataDir,
        boolean demo,
        Path dashboardDir,
        Duration sweepEvery,
        Duration visibilityTimeout,
        int batchSize,
        Duration batchWindow,
        int processorConcurrency,
        int demoDevices,
        double demoRate,
        boolean quiet) {

    static final String USAGE = """
            Usage: ./pisync local [options]
              --port N                  HTTP port on 127.0.0.1 (default 8080; 0 = any free port)
              --data-dir DIR            where data is kept across restarts (default ./.pisync)
              --demo                    also run a simulated fleet against this server
              --dashboard-dir DIR       static files served at / (default ./dashboard)
              --sweep-every DURATION    offline sweep period (default 15m; e.g. 30s, 5m, 1h)
              --visibility-timeout DUR  the sync-events queue's visibility timeout (default 30s)
              --batch-size N            processor batch size (default 100, like the CDK app)
              --batch-window DURATION   processor batching window (default 1s)
              --processor-concurrency N concurrent processor pollers (default 2)
              --demo-devices N          devices of the demo fleet (default 40)
              --demo-rate R             demo fleet events per second (default 2)
              --quiet                   no per-minute activity lines
            Environment: PISYNC_ADMIN_PASSWORD sets the password of the admin user 'admin'.
            """;

    static RunnerOptions defaults() {
        Path repo = repoDir();
        return new RunnerOptions(8080, Path.of(".pisync"), false, repo.resolve("dashboard"), Duration.ofMinutes(15),
                Duration.ofSeconds(30), 100, Duration.ofSeconds(1), 2, 40, 2.0, false);
    }

    /** The repository root: system property {@code pisync.repo} (set by ./pisync), else the working directory. */
    static Path repoDir() {
        String repo = System.getProperty("pisync.repo");
        return repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("");
    }

    public static RunnerOptions parse(List<String> args) {
        Builder b = new Builder(defaults());
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--demo" -> b.demo = true;
                case "--quiet" -> b.quiet = true;
                case "-h", "--help" -> throw new UsageException(null);
                default -> {
                    if (!java.util.Set.of("--port", "--data-dir", "--dashboard-dir", "--sweep-every", "--visibility-timeout", "--batch-size", "--batch-window", "--processor-concurrency", "--demo-devices", "--demo-rate").contains(arg)) {
                        throw new UsageException("unknown option " + arg);
                    }
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("missing value for " + arg);
                        }
                        value = args.get(++i);
                    }
                    switch (arg) {
                        case "--port" -> b.port = integer(arg, value, 0, 65535);
                        case "--data-dir" -> b.dataDir = Path.of(value);
                        case "--dashboard-dir" -> b.dashboardDir = Path.of(value);
                        case "--sweep-every" -> b.sweepEvery = duration(arg, value);
                        case "--visibility-timeout" -> b.visibilityTimeout = duration(arg, value);
                        case "--batch-size" -> b.batchSize = integer(arg, value, 1, 10_000);
                        case "--batch-window" -> b.batchWindow = duration(arg, value);
                        case "--processor-concurrency" -> b.processorConcurrency = integer(arg, value, 1, 64);
                        case "--demo-devices" -> b.demoDevices = integer(arg, value, 1, 100_000);
                        case "--demo-rate" -> b.demoRate = Double.parseDouble(value);
                        default -> throw new UsageException("unknown option " + arg);
                    }
                }
            }
        }
        RunnerOptions o = b.build();
        if (o.dataDir.toString().isBlank()) {
            throw new UsageException("--data-dir must not be empty");
        }
        if (Files.exists(o.dataDir) && !Files.isDirectory(o.dataDir)) {
            throw new UsageException("--data-dir " + o.dataDir + " is not a folder");
        }
        if (o.visibilityTimeout.isNegative() || o.visibilityTimeout.toSeconds() > 43_200) {
            throw new UsageException("--visibility-timeout must be between 0 s and 12 h");
        }
        return o;
    }

    /** The same options with another port and data folder (tests). */
    RunnerOptions withPortAndData(int newPort, Path newDataDir) {
        Builder b = new Builder(this);
        b.port = newPort;
        b.dataDir = newDataDir;
        return b.build();
    }

    static int integer(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got " + value);
        }
    }

    /** "500ms", "30s", "15m", "1h", or ISO-8601 ("PT15M"). */
    static Duration duration(String name, String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(Long.parseLong(v));
            };
        } catch (RuntimeException e) {
            throw new UsageException(name + " must be a duration like 30s, 15m or 1h, got " + value);
        }
    }

    private static final class Builder {
        int port;
        Path dataDir;
        boolean demo;
        Path dashboardDir;
        Duration sweepEvery;
        Duration visibilityTimeout;
        int batchSize;
        Duration batchWindow;
        int processorConcurrency;
        int demoDevices;
        double demoRate;
        boolean quiet;

        Builder(RunnerOptions o) {
            port = o.port;
            dataDir = o.dataDir;
            demo = o.demo;
            dashboardDir = o.dashboardDir;
            sweepEvery = o.sweepEvery;
            visibilityTimeout = o.visibilityTimeout;
            batchSize = o.batchSize;
            batchWindow = o.batchWindow;
            processorConcurrency = o.processorConcurrency;
            demoDevices = o.demoDevices;
            demoRate = o.demoRate;
            quiet = o.quiet;
        }

        RunnerOptions build() {
            return new RunnerOptions(port, dataDir, demo, dashboardDir, sweepEvery, visibilityTimeout, batchSize,
                    batchWindow, processorConcurrency, demoDevices, demoRate, quiet);
        }
    }

    /** A command-line mistake: the message (if any) and the usage are printed, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
