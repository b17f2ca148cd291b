package com.pisync.local.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.local.LocalPiSync;
import com.pisync.local.LocalServers;
import com.pisync.local.SettableClock;
import com.pisync.testbed.FaultInjector.Fault;
import com.pisync.testbed.LocalDynamoDb;
import com.pisync.testbed.TestBed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The pipeline (ingest → ElasticMQ → processor → the DynamoDB engine + fauxqs) under the faults SQS, Lambda,
 * DynamoDB and SNS can produce, each test over more than 10,000 events of 280 devices, against a model of
 * the expected outcome ({@link Workload}) checked item by item ({@link Outcome}). Every test also reorders:
 * messages are shuffled and dealt into batches of 1–10 run by two processor containers at once.
 *
 * <p>Seeded: each test prints its seed; {@code -Dpisync.reliability.seed=N} reruns with seed N (the
 * interleaving of the two containers' threads is not reproducible, the faults' rates and kinds are).
 * Figures are appended to {@code target/reliability.txt}.
 */
class FaultInjectionTest {

    static final int DEVICES = 280;
    static final int ROUNDS = 5;
    static final int EVENTS_PER_DEVICE = 16;

    record Run(Workload workload, Deliveries deliveries, Outcome outcome, double seconds) {
    }

    static long seed(long fallback) {
        String s = System.getProperty("pisync.reliability.seed");
        return s == null || s.isBlank() ? fallback : s.equals("random") ? System.nanoTime() : Long.parseLong(s);
    }

    /** Posts the workload round by round through the ingest function, drains each round with faults, checks. */
    static Run run(String name, long seed, Consumer<Deliveries> faults) {
        System.out.println("[" + name + "] seed " + seed + " (rerun: -Dpisync.reliability.seed=" + seed + ")");
        long t0 = System.nanoTime();
        SettableClock clock = new SettableClock(Workload.START);
        Workload workload = new Workload(seed, name, DEVICES);
        // A DynamoDB engine of its own, so each run's streams and counters start empty (and the model compares
        // against exactly what this run wrote).
        TestBed bed = TestBed.shared();
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.start()) {
            LocalPiSync stack = new LocalPiSync(
                    LocalServers.of(dynamoDb::endpoint, () -> bed.sqs().endpoint(), bed::sns),
                    new LocalPiSync.Settings().clock(clock).failureThreshold(Workload.THRESHOLD));
            return run(name, seed, faults, t0, clock, dynamoDb, stack, workload);
        }
    }

    private static Run run(String name, long seed, Consumer<Deliveries> faults, long t0, SettableClock clock,
            LocalDynamoDb dynamoDb, LocalPiSync stack, Workload workload) {
        try (Deliveries deliveries = new Deliveries(stack.config, dynamoDb, clock, seed)) {
            faults.accept(deliveries);
            long posting = 0;
            long draining = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long p0 = System.nanoTime();
                post(stack, workload.round(EVENTS_PER_DEVICE, 30, 0.03, clock.instant()));
                long p1 = System.nanoTime();
                deliveries.drain();
                posting += p1 - p0;
                draining += System.nanoTime() - p1;
            }
            System.out.printf(Locale.ROOT, "[%s] posting %.1f s, processing %.1f s; processor requests %s%n", name,
                    posting / 1e9, draining / 1e9, deliveries.requests());
            deliveries.containers.forEach(c -> c.faults.enabled(false));
            List<JsonNode> published = stack.publishedAlerts();
            long c0 = System.nanoTime();
            Outcome outcome = Outcome.check(stack, workload, published, clock.instant(), deliveries.publishedThenCrashed);
            System.out.printf(Locale.ROOT, "[%s] checking %.1f s%n", name, (System.nanoTime() - c0) / 1e9);
            Run run = new Run(workload, deliveries, outcome, (System.nanoTime() - t0) / 1e9);
            report(name, seed, run);
            return run;
        }
    }

    /** Uploads from four devices at a time, as API Gateway would run the ingest function side by side. */
    static void post(LocalPiSync stack, List<Workload.Upload> uploads) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<APIGatewayV2HTTPResponse>> calls = uploads.stream()
                    .map(u -> pool.submit(() -> stack.call("POST", "/v1/sync-events", u.body()))).toList();
            for (var call : calls) {
                APIGatewayV2HTTPResponse r = call.get();
                assertEquals(202, r.getStatusCode(), r.getBody());
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    static void report(String name, long seed, Run run) {
        Workload w = run.workload();
        Deliveries d = run.deliveries();
        Outcome o = run.outcome();
        String line = String.format(Locale.ROOT,
                "[%s] seed %d: %d events sent (+%d resent by devices) by %d devices in %d rounds; %d alerts opened,"
                        + " %d resolved expected; %s; faults injected %s; SNS publishes %d; history items %d,"
                        + " alert messages %d (%d repeated after a crash); %s; %.1f s",
                name, seed, w.eventsSent, w.eventsResent, w.devices.size(), ROUNDS, w.alertsOpened(), w.alertsResolved(),
                d.summary(), d.injected(), d.requests("Sns.Publish"), o.historyItems, o.alertMessages,
                o.duplicateAlertMessages, o.report().lines().findFirst().orElse(""), run.seconds());
        if (!o.differences.isEmpty()) {
            line += "\n" + o.report();
        }
        System.out.println(line);
        try {
            Path out = Path.of("target", "reliability.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertExact(Run run) {
        assertTrue(run.workload().events() >= 10_000, "at least 10,000 events: " + run.workload().events());
        assertTrue(run.outcome().differences.isEmpty(), run.outcome().report());
    }

    @Test
    void reorderedAndTenPercentDuplicatedDeliveriesAreStoredAndCountedOnce() {
        Run run = run("reorder-duplicates", seed(1002), d -> {
            d.holdBackShare = 0.3; // a third of each window waits for a later one: reordering across batches
            d.duplicateShare = 0.10;
        });
        assertTrue(run.deliveries().heldBack.get() > 500, run.deliveries().summary());
        assertTrue(run.deliveries().duplicatesDelivered() > 150, run.deliveries().summary());
        assertExact(run);
    }

    @Test
    void processorDyingMidBatchOnTenPercentOfBatchesLosesAndDoublesNothing() {
        Run run = run("crashes", seed(1003), d -> d.crashShare = 0.10);
        assertTrue(run.deliveries().crashes.get() > 20, run.deliveries().summary());
        assertExact(run);
    }

    @Test
    void dynamoDbThrottlingAndTimeoutsOnFivePercentOfCalls() {
        Run run = run("dynamodb-faults", seed(1004), d -> d.containers.forEach(c -> c.faults.seed(c.random.nextLong())
                .randomly("DynamoDb.", 0.05, Fault.values())));
        assertTrue(run.deliveries().injected().values().stream().mapToLong(Long::longValue).sum() > 500);
        assertExact(run);
    }

    @Test
    void snsPublishFailingOnTwentyPercentOfCalls() {
        Run run = run("sns-faults", seed(1005), d -> d.containers.forEach(c -> c.faults.seed(c.random.nextLong())
                .randomly("Sns.Publish", 0.20, Fault.THROTTLED, Fault.TIMEOUT_BEFORE_SENDING)));
        assertTrue(run.deliveries().injected().values().stream().mapToLong(Long::longValue).sum() > 50);
        assertExact(run);
    }
}
