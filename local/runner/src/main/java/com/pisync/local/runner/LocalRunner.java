package com.pisync.local.runner;

import com.pisync.local.LocalPiSync;
import com.pisync.local.LocalServers;
import com.pisync.sweeper.OfflineSweepHandler;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.LocalDynamoDb;
import com.pisync.testbed.LocalSns;
import com.pisync.testbed.StreamPoller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Everything {@code ./pisync local} runs, started in order and stopped in reverse: the DynamoDB engine (data in
 * {@code <data-dir>/dynamodb}), ElasticMQ with persisted messages ({@code <data-dir>/sqs}), fauxqs (SNS) and
 * cognito-local ({@code <data-dir>/cognito}) on free loopback ports; PiSync's tables, queue + DLQ, topic and
 * user pool (created when missing); the HTTP server; the processor's SQS event source; the stats function's
 * stream event sources (positions in {@code <data-dir>/streams}); the offline sweep on its schedule; and, with
 * {@code --demo}, a simulated fleet.
 */
public final class LocalRunner implements AutoCloseable {

    /** Resource names of the persistent stack: tables pisync-devices..., queue pisync-sync-events, topic pisync-alerts. */
    static final String RESOURCE_PREFIX = "pisync-";

    private final RunnerOptions options;
    private final PrintStream out;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicLong sweeps = new AtomicLong();
    private final AtomicLong statsRecords = new AtomicLong();
    private LocalPiSync stack;
    private ApiServer http;
    private com.pisync.local.LocalLiveServer live;
    private SqsEventSource processor;
    private List<StreamEventSource> statsSources = List.of();
    private ScheduledExecutorService scheduler;
    private AdminIdentity.Admin admin;
    private Simulator demo;
    private boolean closed;
    private long keptMessages;

    private final Hooks hooks;
    /** The functions' clock: real time, unless PISYNC_CLOCK_START shifts it ({@link ShiftedClock}). */
    private Clock clock = Clock.systemUTC();

    private LocalRunner(RunnerOptions options, PrintStream out, Hooks hooks) {
        this.options = options;
        this.out = out;
        this.hooks = hooks;
    }

    /**
     * What a measuring caller hooks into (the benchmarks in {@code bench/}): interceptors on every AWS client the
     * functions use (DynamoDB, SQS — the processor's event source included — and SNS), and every function
     * invocation the runner makes, named {@code ingest}, {@code query}, {@code admin}, {@code auth} (API requests,
     * by route), {@code processor} (one SQS batch), {@code stats} (one stream batch) or {@code sweeper}.
     */
    public interface Hooks {
        /** No measuring: what {@code ./pisync local} runs with. */
        Hooks NONE = new Hooks() { };

        default List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors() {
            return List.of();
        }

        /** Runs one invocation of {@code function} on the calling thread; returns what it returned. */
        default <T> T invoke(String function, java.util.function.Supplier<T> invocation) {
            return invocation.get();
        }
    }

    /**
     * Starts everything; on failure, stops what had started and rethrows.
     *
     * @param env where {@code PISYNC_ADMIN_PASSWORD} is read, and {@code PISYNC_CLOCK_START} (an ISO instant, for tests
     *            and demos of school calendars): the functions' clock starts there and {@link #clock()} can move it
     */
    public static LocalRunner start(RunnerOptions options, Map<String, String> env, PrintStream out) {
        return start(options, env, out, Hooks.NONE);
    }

    /** {@link #start(RunnerOptions, Map, PrintStream)} with measuring hooks (benchmarks). */
    public static LocalRunner start(RunnerOptions options, Map<String, String> env, PrintStream out, Hooks hooks) {
        LocalRunner runner = new LocalRunner(options, out, hooks);
        try {
            runner.startAll(env);
            return runner;
        } catch (RuntimeException | IOException e) {
            runner.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException((IOException) e);
        }
    }

    private void startAll(Map<String, String> env) throws IOException {
        Path data = options.dataDir().toAbsolutePath().normalize();
        DataFolder.create(data);
        register(DataFolder.lock(data));
        if (System.getProperty("pisync.testbed.logDir") == null) {
            System.setProperty("pisync.testbed.logDir", data.resolve("logs").toString()); // node servers' logs
        }
        step("DynamoDB engine, ElasticMQ, fauxqs and cognito-local");
        // Started side by side (each takes seconds); registered in this order so they stop in reverse.
        var dynamoStart = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> quietly(() -> LocalDynamoDb.start(data.resolve("dynamodb"))));
        var sqsStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> PersistentSqs.start(data.resolve("sqs")));
        var snsStart = java.util.concurrent.CompletableFuture.supplyAsync(LocalSns::start);
        var cognitoStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> LocalCognito.start(data.resolve("cognito")));
        List<java.util.concurrent.CompletableFuture<? extends AutoCloseable>> starts =
                List.of(dynamoStart, sqsStart, snsStart, cognitoStart);
        RuntimeException failure = null;
        for (var start : starts) {
            try {
                register(start.join());
            } catch (java.util.concurrent.CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        LocalDynamoDb dynamoDb = dynamoStart.join();
        PersistentSqs sqs = sqsStart.join();
        LocalSns sns = snsStart.join();
        LocalCognito cognito = cognitoStart.join();

        step("tables, queues, topic, user pool");
        String clockStart = env.get("PISYNC_CLOCK_START");
        if (clockStart != null && !clockStart.isBlank()) {
            try {
                clock = ShiftedClock.startingAt(Instant.parse(clockStart.trim()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalStateException("PISYNC_CLOCK_START must be an instant like 2026-12-04T12:00:00Z, got "
                        + clockStart);
            }
        }
        SigningKeys keys = SigningKeys.load(data.resolve("secrets.json"));
        stack = new LocalPiSync(LocalServers.of(dynamoDb::endpoint, sqs::endpoint, () -> sns),
                new LocalPiSync.Settings().clock(clock).tokenClock(Clock.systemUTC()).requireDeviceTokens(true)
                        .resourcePrefix(RESOURCE_PREFIX).keys(keys.deviceTokenKey(), keys.cursorKey())
                        .visibilityTimeout(options.visibilityTimeout()).deadLetterAfter(5)
                        .dashboardUrl(options.port() == 0 ? null : "http://127.0.0.1:" + options.port()) // e-mail links
                        .interceptors(hooks.interceptors().toArray(software.amazon.awssdk.core.interceptor.ExecutionInterceptor[]::new)));
        keptMessages = queueBacklog();
        LocalCognito.UserPool pool = AdminIdentity.pool(cognito, data);
        stack.withIdentity(cognito, pool);
        admin = AdminIdentity.ensureAdmin(cognito, pool, data, env.get("PISYNC_ADMIN_PASSWORD"));

        step("HTTP server");
        try {
            http = register(new ApiServer(stack, "127.0.0.1", options.port(), options.dashboardDir(), 16, hooks).start());
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + options.port() + " on 127.0.0.1 is in use: stop what uses it, or"
                    + " pass another --port", e);
        }

        // Live updates: the WebSocket endpoint beside the API (port + 1, else any free port), fed from the streams.
        try {
            live = register(stack.startLive("127.0.0.1", options.port() == 0 ? 0 : options.port() + 1));
        } catch (IllegalStateException portTaken) {
            live = register(stack.startLive("127.0.0.1", 0));
        }

        processor = register(new SqsEventSource(stack.sqs, stack.config.syncEventsQueueUrl(),
                batch -> hooks.invoke("processor", () -> stack.deliver(batch)),
                options.batchSize(), options.batchWindow(), options.processorConcurrency()).start());

        var streams = StreamPoller.localStreamsClient(dynamoDb.endpoint());
        register(streams);
        statsSources = new ArrayList<>();
        for (String table : List.of(stack.config.devicesTable(), stack.config.syncEventsTable())) {
            statsSources.add(new StreamEventSource(streams, StreamPoller.streamArn(stack.dynamo, table),
                    e -> hooks.invoke("stats", () -> stack.statsHandler().handleRequest(e, null)), 1000, data.resolve("streams").resolve(table + ".json")));
        }

        ScheduledSweep sweep = new ScheduledSweep(new OfflineSweepHandler(stack.dynamo, stack.sns, stack.config, clock),
                clock, hooks);
        AtomicInteger n = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "pisync-schedule-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        register(() -> {
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        });
        // Every --stats-window (5 s; the CDK app's stats event source batches 60 s, FleetStats.MAX_BATCHING_WINDOW): each
        // stats invocation is a counter transaction, so draining more often multiplies its writes.
        long statsMillis = options.statsWindow().toMillis();
        scheduler.scheduleWithFixedDelay(guard("stats", () -> statsSources.forEach(s -> statsRecords.addAndGet(s.drain()))),
                statsMillis, statsMillis, TimeUnit.MILLISECONDS);
        long sweepMillis = Math.max(1000, options.sweepEvery().toMillis());
        scheduler.scheduleAtFixedRate(guard("offline sweep", () -> {
            sweep.run();
            sweeps.incrementAndGet();
        }), Math.min(sweepMillis, 10_000), sweepMillis, TimeUnit.MILLISECONDS);
        ActivityReports reports = new ActivityReports(stack, out);
        scheduler.scheduleWithFixedDelay(guard("alerts", reports::printAlerts), 5, 5, TimeUnit.SECONDS);
        if (!options.quiet()) {
            scheduler.scheduleAtFixedRate(guard("activity", reports.activityLine(http, processor)), 60, 60, TimeUnit.SECONDS);
        }
        if (options.demo()) {
            startDemo(cognito, pool, data);
        }
    }

    private void startDemo(LocalCognito cognito, LocalCognito.UserPool pool, Path data) {
        String password = AdminIdentity.demoUser(cognito, pool, "demo-fleet");
        Simulator.Options o = Simulator.Options.defaults().withUrl(url())
                .withFleet(options.demoDevices(), 0, 1)
                .withBehaviour(0.08, true, true, true)
                .withPace(options.demoRate(), 4)
                .withLogin("demo-fleet", password)
                .withFiles(data.resolve("demo-devices.json"), "demo-")
                .withOutput(false, true, 3);
        demo = new Simulator(o, out).withSchools(SchoolScenario.demo()); // sites with calendars, an outage, data at risk
        Thread t = new Thread(() -> {
            try {
                demo.run();
            } catch (RuntimeException e) {
                out.println("demo fleet stopped: " + e.getMessage());
            }
        }, "pisync-demo-fleet");
        t.setDaemon(true);
        t.start();
        register(() -> {
            demo.stop();
            t.join(10_000);
        });
    }

    /** Messages waiting or in flight on the sync-events queue. */
    long queueBacklog() {
        Map<QueueAttributeName, String> a = stack.sqs.getQueueAttributes(r -> r.queueUrl(stack.config.syncEventsQueueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    /** Waits until the queue is empty and the stats are up to date (for tests and scripts). */
    public void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (queueBacklog() == 0) {
                statsSources.forEach(s -> statsRecords.addAndGet(s.drain()));
                if (queueBacklog() == 0) {
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the sync-events queue still has " + queueBacklog() + " message(s) after " + timeout);
    }

    public int port() {
        return http.port();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    AdminIdentity.Admin admin() {
        return admin;
    }

    /** The functions' clock: a {@link ShiftedClock} when {@code PISYNC_CLOCK_START} was set (tests move it). */
    public Clock clock() {
        return clock;
    }

    /** How many offline sweeps have run (tests wait for one after moving the clock). */
    public long sweeps() {
        return sweeps.get();
    }

    /** The stack the runner serves (benchmarks read item sizes and table layouts from it). */
    public LocalPiSync stack() {
        return stack;
    }

    /** The lines printed once everything is up. */
    String banner() {
        return RunnerBanner.text(options, url(), admin, live.url(), keptMessages);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (demo != null) {
            demo.stop();
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }

    private <T extends AutoCloseable> T register(T resource) {
        started.push(resource);
        return resource;
    }

    private long stepStarted = System.nanoTime();

    private void step(String what) {
        if (System.getenv("PISYNC_DEBUG") != null) {
            out.printf(Locale.ROOT, "  (%.1f s)%n", (System.nanoTime() - stepStarted) / 1e9);
            stepStarted = System.nanoTime();
        }
        if (!options.quiet()) {
            out.println("  starting " + what + "…");
        }
    }

    private Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (!closed) {
                    System.err.println(ActivityReports.time() + " " + what + " failed: " + e);
                }
            }
        };
    }

    /** Keeps a starting server's own stdout chatter out of the runner's output. */
    private static <T> T quietly(java.util.function.Supplier<T> start) {
        PrintStream console = System.out;
        synchronized (System.class) {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
            try {
                return start.get();
            } finally {
                System.setOut(console);
            }
        }
    }
}
