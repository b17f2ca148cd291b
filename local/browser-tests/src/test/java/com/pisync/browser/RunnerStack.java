package com.pisync.browser;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local runner ({@code ./pisync local}, module local/runner) started in this JVM on a free port with a fresh
 * data folder and a known admin password, stopped (and its data deleted) after the tests.
 *
 * <p>Reached by reflection so this module compiles whether or not the runner is on the classpath (its
 * dependency comes from a profile active when local/runner exists). {@code PiSyncLocal.main} blocks until the
 * JVM stops and exits on errors, so the tests use what it uses: {@code LocalRunner.start(options, env, out)}
 * with options parsed from the same command line.
 */
final class RunnerStack implements LocalStack {

    static final String MAIN_CLASS = "com.pisync.local.runner.PiSyncLocal";
    static final String RUNNER_CLASS = "com.pisync.local.runner.LocalRunner";
    static final String OPTIONS_CLASS = "com.pisync.local.runner.RunnerOptions";
    /** The runner's admin user ('admin'; password from PISYNC_ADMIN_PASSWORD). */
    static final String DEFAULT_ADMIN_USER = "admin";

    private final Object runner;
    private final String url;
    private final String password;
    private final Path dataDir;
    private final Output output;

    private RunnerStack(Object runner, String url, String password, Path dataDir, Output output) {
        this.runner = runner;
        this.url = url;
        this.password = password;
        this.dataDir = dataDir;
        this.output = output;
    }

    /** What the runner printed (to System.out as well), line by line: e.g. each alert it read off the SNS topic. */
    static final class Output extends java.io.OutputStream {
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public synchronized void write(int b) {
            System.out.write(b);
            if (b == '\n') {
                lines.add(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        List<String> lines() {
            return List.copyOf(lines);
        }
    }

    /** Why the runner cannot be started in-process, or null when it can. */
    static String unavailable() {
        try {
            Class.forName(MAIN_CLASS);
        } catch (ClassNotFoundException e) {
            return MAIN_CLASS + " is not on the classpath (module local/runner absent or not built)";
        }
        try {
            Class<?> options = Class.forName(OPTIONS_CLASS);
            options.getDeclaredMethod("parse", List.class);
            Class.forName(RUNNER_CLASS).getMethod("start", options, Map.class, PrintStream.class);
            Class.forName(RUNNER_CLASS).getMethod("url");
            return null;
        } catch (ReflectiveOperationException e) {
            return MAIN_CLASS + " is present but its in-process API (" + RUNNER_CLASS + ".start(RunnerOptions, Map, "
                    + "PrintStream), RunnerOptions.parse(List)) is not: " + e;
        }
    }

    static RunnerStack start() throws Exception {
        return start(Map.of(), List.of());
    }

    /**
     * @param extraEnv e.g. {@code PISYNC_CLOCK_START}: the functions' clock starts there ({@link #advanceClock})
     * @param extraArgs more of {@code ./pisync local}'s options, e.g. {@code --sweep-every 2s}
     */
    static RunnerStack start(Map<String, String> extraEnv, List<String> extraArgs) throws Exception {
        Path data = Files.createTempDirectory("pisync-browser-tests-");
        String password = "Bt-" + UUID.randomUUID().toString().substring(0, 12) + "-Pw1!";
        String dashboard = Path.of(System.getProperty("pisync.dashboard.dir", "../../dashboard")).toAbsolutePath()
                .normalize().toString();
        Class<?> optionsClass = Class.forName(OPTIONS_CLASS);
        Method parse = optionsClass.getDeclaredMethod("parse", List.class);
        parse.setAccessible(true);
        List<String> args = new java.util.ArrayList<>(List.of("--port", "0", "--data-dir", data.toString(),
                "--dashboard-dir", dashboard, "--batch-window", "200ms", "--quiet"));
        args.addAll(extraArgs);
        Object options = parse.invoke(null, args);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PISYNC_ADMIN_PASSWORD", password);
        env.putAll(extraEnv);
        Output output = new Output();
        Class<?> runnerClass = Class.forName(RUNNER_CLASS);
        long t0 = System.nanoTime();
        Object runner;
        try {
            runner = runnerClass.getMethod("start", optionsClass, Map.class, PrintStream.class)
                    .invoke(null, options, env, new PrintStream(output, true, java.nio.charset.StandardCharsets.UTF_8));
        } catch (InvocationTargetException e) {
            delete(data);
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        String url = ((URI) runnerClass.getMethod("url").invoke(runner)).toString();
        System.out.printf("[browser-tests] local runner started in %.1f s at %s%n", (System.nanoTime() - t0) / 1e9, url);
        return new RunnerStack(runner, url, password, data, output);
    }

    /** The lines the runner printed so far. */
    List<String> output() {
        return output.lines();
    }

    /** The functions' time now (the runner's clock). */
    java.time.Instant clockNow() throws ReflectiveOperationException {
        return ((java.time.Clock) runner.getClass().getMethod("clock").invoke(runner)).instant();
    }

    /** Moves the functions' clock forward (the runner must have been started with PISYNC_CLOCK_START). */
    void advanceClock(java.time.Duration d) throws ReflectiveOperationException {
        Object clock = runner.getClass().getMethod("clock").invoke(runner);
        clock.getClass().getMethod("advance", java.time.Duration.class).invoke(clock, d);
    }

    /** How many offline sweeps the runner has run. */
    long sweeps() throws ReflectiveOperationException {
        return (Long) runner.getClass().getMethod("sweeps").invoke(runner);
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String adminUser() {
        return DEFAULT_ADMIN_USER;
    }

    @Override
    public String adminPassword() {
        return password;
    }

    @Override
    public String description() {
        return "local runner started in-process, data in " + dataDir;
    }

    @Override
    public void close() throws Exception {
        try {
            runner.getClass().getMethod("close").invoke(runner);
        } finally {
            delete(dataDir);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
