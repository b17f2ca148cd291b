package com.pisync.local.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;

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
        boolean quiet,
        Duration statsWindow) {

    /** The usage text picocli writes from {@link Command}'s options. */
    static final String USAGE = new CommandLine(new Command()).getUsageMessage(CommandLine.Help.Ansi.OFF);

    /** The command line as picocli reads it; defaults from {@link #defaults()}. */
    @CommandLine.Command(name = "./pisync local", mixinStandardHelpOptions = true, sortOptions = false,
            usageHelpWidth = 110,
            description = "All of PiSync on 127.0.0.1: API, dashboard, local AWS look-alikes; data kept across restarts.",
            footer = "Environment: PISYNC_ADMIN_PASSWORD sets the password of the admin user 'admin'.")
    static final class Command {
        @CommandLine.Option(names = "--port", paramLabel = "N",
                description = "HTTP port on 127.0.0.1 (default 8080; 0 = any free port)")
        Integer port;
        @CommandLine.Option(names = "--data-dir", paramLabel = "DIR",
                description = "where data is kept across restarts (default ./.pisync)")
        Path dataDir;
        @CommandLine.Option(names = "--demo", description = "also run a simulated fleet against this server")
        boolean demo;
        @CommandLine.Option(names = "--dashboard-dir", paramLabel = "DIR",
                description = "static files served at / (default ./dashboard)")
        Path dashboardDir;
        @CommandLine.Option(names = "--sweep-every", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "offline sweep period (default 15m; e.g. 30s, 5m, 1h)")
        Duration sweepEvery;
        @CommandLine.Option(names = "--visibility-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "the sync-events queue's visibility timeout (default 30s)")
        Duration visibilityTimeout;
        @CommandLine.Option(names = "--batch-size", paramLabel = "N",
                description = "processor batch size (default 100, like the CDK app)")
        Integer batchSize;
        @CommandLine.Option(names = "--batch-window", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "processor batching window (default 250ms; the CDK app uses 1s)")
        Duration batchWindow;
        @CommandLine.Option(names = "--stats-window", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "how long stream records gather before the stats function takes them (default 5s; "
                        + "the CDK app uses 60s)")
        Duration statsWindow;
        @CommandLine.Option(names = "--processor-concurrency", paramLabel = "N",
                description = "concurrent processor pollers (default 2)")
        Integer processorConcurrency;
        @CommandLine.Option(names = "--demo-devices", paramLabel = "N", description = "devices of the demo fleet (default 40)")
        Integer demoDevices;
        @CommandLine.Option(names = "--demo-rate", paramLabel = "R", description = "demo fleet events per second (default 2)")
        Double demoRate;
        @CommandLine.Option(names = "--quiet", description = "no per-minute activity lines")
        boolean quiet;
    }

    /** "500ms", "30s", "15m", "1h", or ISO-8601 ("PT15M"), for picocli. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration("", value);
            } catch (UsageException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s, 15m or 1h");
            }
        }
    }

    /**
     * The processor's batching window locally: a quarter of a second, so an event shows up in the dashboard about a
     * second after its upload. The CDK app waits up to 1 s for fuller, fewer invocations (cost); the cost benchmark
     * passes {@code --batch-window 1s} to count what AWS would.
     */
    static final Duration LOCAL_BATCH_WINDOW = Duration.ofMillis(250);

    /**
     * The stats function's batching window locally: 5 s, so counters and site incidents follow quickly while you
     * watch. The CDK app gathers 60 s (fewer counter transactions); the cost benchmark passes that.
     */
    static final Duration LOCAL_STATS_WINDOW = Duration.ofSeconds(5);

    static RunnerOptions defaults() {
        Path repo = repoDir();
        return new RunnerOptions(8080, Path.of(".pisync"), false, repo.resolve("dashboard"), Duration.ofMinutes(15),
                Duration.ofSeconds(30), 100, LOCAL_BATCH_WINDOW, 2, 40, 2.0, false, LOCAL_STATS_WINDOW);
    }

    /** The repository root: system property {@code pisync.repo} (set by ./pisync), else the working directory. */
    static Path repoDir() {
        String repo = System.getProperty("pisync.repo");
        return repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("");
    }

    /**
     * Reads the command line.
     *
     * @throws UsageException for a mistake (its message; exit 2) or a request for help (no message; exit 0)
     */
    public static RunnerOptions parse(List<String> args) {
        Command c = new Command();
        CommandLine cl = new CommandLine(c);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
            throw new UsageException(null);
        }
        Builder b = new Builder(defaults());
        b.demo = c.demo;
        b.quiet = c.quiet;
        if (c.port != null) {
            b.port = range("--port", c.port, 0, 65535);
        }
        if (c.dataDir != null) {
            b.dataDir = c.dataDir;
        }
        if (c.dashboardDir != null) {
            b.dashboardDir = c.dashboardDir;
        }
        if (c.sweepEvery != null) {
            b.sweepEvery = c.sweepEvery;
        }
        if (c.visibilityTimeout != null) {
            b.visibilityTimeout = c.visibilityTimeout;
        }
        if (c.batchSize != null) {
            b.batchSize = range("--batch-size", c.batchSize, 1, 10_000);
        }
        if (c.batchWindow != null) {
            b.batchWindow = c.batchWindow;
        }
        if (c.statsWindow != null) {
            if (c.statsWindow.isNegative() || c.statsWindow.isZero()) {
                throw new UsageException("--stats-window must be above 0, got " + c.statsWindow);
            }
            b.statsWindow = c.statsWindow;
        }
        if (c.processorConcurrency != null) {
            b.processorConcurrency = range("--processor-concurrency", c.processorConcurrency, 1, 64);
        }
        if (c.demoDevices != null) {
            b.demoDevices = range("--demo-devices", c.demoDevices, 1, 100_000);
        }
        if (c.demoRate != null) {
            if (!(c.demoRate > 0) || c.demoRate.isInfinite()) {
                throw new UsageException("--demo-rate must be a number above 0, got " + c.demoRate);
            }
            b.demoRate = c.demoRate;
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

    static int range(String name, int n, int min, int max) {
        if (n < min || n > max) {
            throw new UsageException(name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
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
        Duration statsWindow;

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
            statsWindow = o.statsWindow;
        }

        RunnerOptions build() {
            return new RunnerOptions(port, dataDir, demo, dashboardDir, sweepEvery, visibilityTimeout, batchSize,
                    batchWindow, processorConcurrency, demoDevices, demoRate, quiet, statsWindow);
        }
    }

    /** A command-line mistake: the message (if any) and the usage are printed, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
