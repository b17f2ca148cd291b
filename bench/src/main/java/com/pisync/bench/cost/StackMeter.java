package com.pisync.bench.cost;

import com.pisync.local.runner.LocalRunner;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Everything the cost benchmark counts, hooked into the local runner ({@link LocalRunner.Hooks}) and into its AWS
 * clients (an {@link ExecutionInterceptor}):
 * <ul>
 * <li>function invocations, their durations (per invocation, rounded up to the millisecond as Lambda bills) and
 * the bytes they write to stdout/stderr while they run (what CloudWatch Logs would ingest);
 * <li>AWS requests by service and operation, with SQS and SNS requests also counted in billed 64 KiB chunks, and
 * SQS receives split into those that returned messages and empty ones;
 * <li>DynamoDB capacity units per table and per index, reads and writes apart: every request is sent with
 * {@code ReturnConsumedCapacity=INDEXES} (the functions ask for TOTAL; only the detail changes, not the work).
 * </ul>
 * DynamoDB requests and log bytes are attributed to the function running on the thread that made them.
 */
public final class StackMeter implements LocalRunner.Hooks, ExecutionInterceptor {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    /** The functions' own worker threads (they fan a batch or a page out), by thread name. */
    static final Map<String, String> WORKER_THREADS = Map.of("device-recorder", "processor", "query-shard", "query",
            "offline-sweep", "sweeper");
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** The function running on this thread (its invocation, or a worker thread of it), or null. */
    static String current() {
        String f = CURRENT.get();
        return f != null ? f : WORKER_THREADS.get(Thread.currentThread().getName());
    }
    private static final List<String> READS = List.of("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems");

    private final Map<String, FunctionStats> functions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> billedRequests = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> capacity = new ConcurrentHashMap<>();
    private final LongAdder emptyReceives = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private volatile boolean logsCaptured;

    /** Per function: invocations, time, logs. */
    static final class FunctionStats {
        final LongAdder invocations = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder billedMillis = new LongAdder();
        final LongAdder cpuNanos = new LongAdder();
        final LongAdder logBytes = new LongAdder();
        final LongAdder logLines = new LongAdder();
        private long[] durations = new long[1024];
        private int n;

        synchronized void add(long nanoseconds) {
            if (n == durations.length) {
                durations = Arrays.copyOf(durations, n * 2);
            }
            durations[n++] = nanoseconds;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(durations, n);
            Arrays.sort(copy);
            return copy;
        }
    }

    // ------------------------------------------------------------------------------------------ invocations

    @Override
    public List<ExecutionInterceptor> interceptors() {
        return List.of(this);
    }

    @Override
    public <T> T invoke(String function, Supplier<T> invocation) {
        String outer = CURRENT.get();
        CURRENT.set(function);
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try {
            return invocation.get();
        } finally {
            long took = System.nanoTime() - t0;
            long cpu = CPU.getCurrentThreadCpuTime() - c0;
            CURRENT.set(outer);
            FunctionStats s = functions.computeIfAbsent(function, k -> new FunctionStats());
            s.cpuNanos.add(cpu);
            s.invocations.increment();
            s.nanos.add(took);
            s.billedMillis.add((took + 999_999) / 1_000_000); // Lambda bills each invocation in whole ms, rounded up
            s.add(took);
        }
    }

    /**
     * From now on counts what is written to System.out and System.err while a function runs on the writing thread
     * (handlers log to stdout/stderr, which Lambda sends to CloudWatch Logs). Output still reaches the console.
     */
    public synchronized void captureLogs() {
        if (logsCaptured) {
            return;
        }
        logsCaptured = true;
        System.setOut(new PrintStream(new Tee(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(System.err), true, StandardCharsets.UTF_8));
    }

    private final class Tee extends OutputStream {
        private final PrintStream to;

        Tee(PrintStream to) {
            this.to = to;
        }

        @Override
        public void write(int b) {
            count(new byte[] {(byte) b}, 0, 1);
            to.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count(b, off, len);
            to.write(b, off, len);
        }

        @Override
        public void flush() {
            to.flush();
        }

        private void count(byte[] b, int off, int len) {
            String f = current();
            if (f == null) {
                return;
            }
            FunctionStats s = functions.computeIfAbsent(f, k -> new FunctionStats());
            int lines = 0;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
            s.logBytes.add(len - lines); // a CloudWatch log event is the line without its newline
            s.logLines.add(lines);
        }
    }

    // ------------------------------------------------------------------------------------------ AWS requests

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity all = ReturnConsumedCapacity.INDEXES;
        if (r instanceof GetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof DeleteItemRequest d) {
            return d.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof QueryRequest q) {
            return q.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof ScanRequest s) {
            return s.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof BatchGetItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof BatchWriteItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof TransactWriteItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(all).build();
        } else if (r instanceof TransactGetItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(all).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String key = service + "." + operation;
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        String function = current();
        if (function != null) {
            requests.computeIfAbsent(function + "|" + key, k -> new LongAdder()).increment();
        }
        SdkRequest request = context.request();
        Object response = context.response();
        long payload = -1;
        if (request instanceof SendMessageBatchRequest b) {
            payload = b.entries().stream().mapToLong(e -> utf8(e.messageBody())).sum();
        } else if (request instanceof SendMessageRequest s) {
            payload = utf8(s.messageBody());
        } else if (response instanceof ReceiveMessageResponse rr) {
            payload = rr.messages().stream().mapToLong(m -> utf8(m.body())).sum();
            messagesReceived.add(rr.messages().size());
            if (rr.messages().isEmpty()) {
                emptyReceives.increment();
            }
        } else if (request instanceof PublishRequest p) {
            payload = utf8(p.message());
        } else if (request instanceof PublishBatchRequest p) {
            payload = p.publishBatchRequestEntries().stream().mapToLong(e -> utf8(e.message())).sum();
        }
        long billed = Math.max(1, (payload + PriceTable.SQS_CHUNK_BYTES - 1) / PriceTable.SQS_CHUNK_BYTES);
        billedRequests.computeIfAbsent(key, k -> new LongAdder()).add(billed);
        context.response().getValueForField("ConsumedCapacity", Object.class).ifPresent(v -> {
            boolean read = READS.contains(operation);
            if (v instanceof ConsumedCapacity c) {
                addCapacity(c, read);
            } else if (v instanceof Iterable<?> list) {
                list.forEach(o -> {
                    if (o instanceof ConsumedCapacity c) {
                        addCapacity(c, read);
                    }
                });
            }
        });
    }

    private void addCapacity(ConsumedCapacity c, boolean read) {
        String table = c.tableName() == null ? "?" : c.tableName().replaceFirst("^pisync-", "");
        String function = current() == null ? "other" : current();
        String rw = read ? "R" : "W";
        double accounted = 0;
        if (c.table() != null) {
            accounted += add(function, table, rw, units(c.table()));
        }
        if (c.globalSecondaryIndexes() != null) {
            for (Map.Entry<String, Capacity> gsi : c.globalSecondaryIndexes().entrySet()) {
                accounted += add(function, table + "/" + gsi.getKey(), rw, units(gsi.getValue()));
            }
        }
        if (c.localSecondaryIndexes() != null) {
            for (Map.Entry<String, Capacity> lsi : c.localSecondaryIndexes().entrySet()) {
                accounted += add(function, table + "/" + lsi.getKey(), rw, units(lsi.getValue()));
            }
        }
        double total = c.capacityUnits() == null ? 0 : c.capacityUnits();
        if (total - accounted > 1e-9) { // a total without the per-index detail
            add(function, table + " (unattributed)", rw, total - accounted);
        }
    }

    private double add(String function, String where, String rw, double units) {
        capacity.computeIfAbsent(function + "|" + where + "|" + rw, k -> new DoubleAdder()).add(units);
        return units;
    }

    private static double units(Capacity c) {
        return c.capacityUnits() == null ? 0 : c.capacityUnits();
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ------------------------------------------------------------------------------------------ reading

    private final Map<Long, Long> workerCpuAtReset = new ConcurrentHashMap<>();

    /** CPU time of the functions' worker threads since the last reset, by function. */
    private Map<String, Long> workerCpu() {
        Map<String, Long> out = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String f = WORKER_THREADS.get(t.getName());
            if (f != null) {
                long now = Math.max(0, CPU.getThreadCpuTime(t.getId()));
                out.merge(f, now - workerCpuAtReset.getOrDefault(t.getId(), 0L), Long::sum);
            }
        }
        return out;
    }

    public void reset() {
        workerCpuAtReset.clear();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (WORKER_THREADS.containsKey(t.getName())) {
                workerCpuAtReset.put(t.getId(), Math.max(0, CPU.getThreadCpuTime(t.getId())));
            }
        }
        functions.clear();
        requests.clear();
        billedRequests.clear();
        capacity.clear();
        emptyReceives.reset();
        messagesReceived.reset();
    }

    /** What was counted since the last reset. */
    public Counts snapshot() {
        Map<String, Counts.Function> f = new TreeMap<>();
        Map<String, Long> workers = workerCpu();
        functions.forEach((name, s) -> {
            long[] d = s.sorted();
            double cpuMillis = (s.cpuNanos.sum() + workers.getOrDefault(name, 0L)) / 1e6;
            f.put(name, new Counts.Function(s.invocations.sum(), s.nanos.sum() / 1e6, s.billedMillis.sum(),
                    percentile(d, 50), percentile(d, 99), s.logBytes.sum(), s.logLines.sum(), cpuMillis));
        });
        Map<String, Long> r = new TreeMap<>();
        requests.forEach((k, v) -> r.put(k, v.sum()));
        Map<String, Long> b = new TreeMap<>();
        billedRequests.forEach((k, v) -> b.put(k, v.sum()));
        Map<String, Double> c = new TreeMap<>();
        capacity.forEach((k, v) -> c.put(k, v.sum()));
        return new Counts(f, r, b, c, emptyReceives.sum(), messagesReceived.sum());
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
