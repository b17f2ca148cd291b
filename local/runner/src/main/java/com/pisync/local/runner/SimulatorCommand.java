package com.pisync.local.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code ./pisync simulate}'s command line (picocli): the options, their checks and defaults, turned into
 * {@link Simulator.Options}; then the run and its exit code. A bad flag or value prints a usage error and exits 2;
 * {@code --help} prints the usage and exits 0; a run with errors exits 1.
 */
@CommandLine.Command(name = "./pisync simulate", mixinStandardHelpOptions = true, sortOptions = false,
        usageHelpWidth = 110,
        description = "A fleet of simulated PiBooks and PiBoxes against a local or deployed PiSync.")
public final class SimulatorCommand {

    @CommandLine.Option(names = "--url", paramLabel = "URL",
            description = "PiSync's base URL, local or deployed (default http://127.0.0.1:8080)")
    URI url;
    @CommandLine.Option(names = "--devices", paramLabel = "N",
            description = "devices (default 20), registered through the admin API or reused")
    Integer devices;
    @CommandLine.Option(names = "--events-per-device", paramLabel = "M",
            description = "sync events each device sends (default 10; 0 = until Ctrl-C)")
    Integer eventsPerDevice;
    @CommandLine.Option(names = "--batch", paramLabel = "K", description = "events per upload (default 1; up to 500)")
    Integer batch;
    @CommandLine.Option(names = "--failure-rate", paramLabel = "p", description = "share of failed syncs, 0..1 (default 0.1)")
    Double failureRate;
    @CommandLine.Option(names = "--streaks", description = "some devices fail several times in a row (alerts at 3)")
    boolean streaks;
    @CommandLine.Option(names = "--offline-backlog",
            description = "some devices first upload a backlog of older events in one request")
    boolean offlineBacklog;
    @CommandLine.Option(names = "--clock-skew", description = "device clocks off by up to ±3 h, in assorted UTC offsets")
    boolean clockSkew;
    @CommandLine.Option(names = "--rate", paramLabel = "R/s",
            description = "at most R events per second overall (default: as fast as possible)")
    String rate;
    @CommandLine.Option(names = "--concurrency", paramLabel = "C", description = "uploads in flight at once (default 8)")
    Integer concurrency;
    @CommandLine.Option(names = "--username", paramLabel = "U", description = "admin user (default admin)")
    String username;
    @CommandLine.Option(names = "--password", paramLabel = "P", description = "its password (default: env "
            + "PISYNC_ADMIN_PASSWORD, else the local runner's <data-dir>/admin-password.txt for a 127.0.0.1 URL)")
    String password;
    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR",
            description = "the local runner's data folder (default ./.pisync)")
    Path dataDir;
    @CommandLine.Option(names = "--tokens-file", paramLabel = "FILE",
            description = "where device tokens are kept (default <data-dir>/simulator-devices.json)")
    Path tokensFile;
    @CommandLine.Option(names = "--prefix", paramLabel = "P", description = "device id prefix (default sim-)")
    String prefix;
    @CommandLine.Option(names = "--seed", paramLabel = "N", description = "random seed (a whole number)")
    Long seed;
    @CommandLine.Option(names = "--retries", paramLabel = "N",
            description = "retries of an upload that got no answer or a 5xx/429 (default 3)")
    Integer retries;
    @CommandLine.Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;
    @CommandLine.Option(names = "--schools", description = "sites with school calendars (one on holiday today); "
            + "devices do not sync while their school is closed")
    boolean schools;
    @CommandLine.Option(names = "--site-outage", description = "the first site's network goes down for "
            + "90 s every 8 min: one site incident instead of an alert per device")
    boolean siteOutage;
    @CommandLine.Option(names = "--pending-data", description = "one device in seven holds unsynced files for hours "
            + "(data at risk)")
    boolean pendingData;

    static final String USAGE = new CommandLine(new SimulatorCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);

    public static void main(String[] args) {
        Simulator.Options o;
        try {
            o = parse(List.of(args), System.getenv());
        } catch (RunnerOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("pisync simulate: " + e.getMessage());
            }
            System.err.print(USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        Simulator sim = new Simulator(o).withSchools(scenario(List.of(args)));
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            try {
                main.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulator-stop"));
        try {
            Simulator.Summary s = sim.run();
            System.out.println(s.describe());
            System.exit(s.errors() > 0 ? 1 : 0);
        } catch (Simulator.SimulationException e) {
            System.err.println("pisync simulate: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Reads the command line.
     *
     * @throws RunnerOptions.UsageException for a mistake (its message; exit 2) or a request for help (no message)
     */
    static Simulator.Options parse(List<String> args, Map<String, String> env) {
        SimulatorCommand c = new SimulatorCommand();
        CommandLine cl = new CommandLine(c);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new RunnerOptions.UsageException(e.getMessage());
        }
        if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
            throw new RunnerOptions.UsageException(null);
        }
        return c.options(env);
    }

    /** The schools scenario the command line asks for (its options are checked by {@link #parse}). */
    static SchoolScenario scenario(List<String> args) {
        SimulatorCommand c = new SimulatorCommand();
        new CommandLine(c).parseArgs(args.toArray(String[]::new));
        return new SchoolScenario(c.schools, c.siteOutage, c.pendingData);
    }

    private Simulator.Options options(Map<String, String> env) {
        Simulator.Options d = Simulator.Options.defaults();
        URI u = url == null ? d.url() : url;
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new RunnerOptions.UsageException("--url must be an http(s) URL, got " + u);
        }
        int deviceCount = devices == null ? d.devices() : RunnerOptions.range("--devices", devices, 1, 1_000_000);
        int events = eventsPerDevice == null ? d.eventsPerDevice()
                : RunnerOptions.range("--events-per-device", eventsPerDevice, 0, 100_000_000);
        int batchSize = batch == null ? d.batch() : RunnerOptions.range("--batch", batch, 1, 500);
        double failures = failureRate == null ? d.failureRate() : fraction("--failure-rate", failureRate);
        double eventsPerSecond = rate == null ? 0 : positive("--rate", rate.replaceAll("(?i)/s$", ""));
        int parallel = concurrency == null ? d.concurrency() : RunnerOptions.range("--concurrency", concurrency, 1, 1024);
        int maxRetries = retries == null ? d.retries() : RunnerOptions.range("--retries", retries, 0, 20);
        Path data = dataDir == null ? Path.of(".pisync") : dataDir;
        String pass = password != null ? password : env.get("PISYNC_ADMIN_PASSWORD");
        if ((pass == null || pass.isBlank()) && isLoopback(u)) {
            Path file = data.resolve("admin-password.txt");
            try {
                if (Files.isRegularFile(file)) {
                    pass = Files.readString(file, StandardCharsets.UTF_8).strip();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file, e);
            }
        }
        Path tokens = tokensFile != null ? tokensFile
                : (Files.isDirectory(data) ? data : Path.of("")).resolve("simulator-devices.json");
        return new Simulator.Options(u, deviceCount, events, batchSize, failures, streaks, offlineBacklog, clockSkew,
                eventsPerSecond, parallel, username == null ? d.username() : username, pass, tokens,
                prefix == null ? d.prefix() : prefix, !noProgress, seed == null ? d.seed() : seed, maxRetries, false);
    }

    private static boolean isLoopback(URI url) {
        String host = url.getHost();
        return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
    }

    private static double fraction(String name, double p) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new RunnerOptions.UsageException(name + " must be between 0 and 1, got " + p);
        }
        return p;
    }

    private static double positive(String name, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new RunnerOptions.UsageException(name + " must be ≥ 0, got " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new RunnerOptions.UsageException(name + " must be a number, got " + value);
        }
    }
}
