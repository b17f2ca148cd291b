package com.pisync.bench.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prices measured per-event quantities with {@link PriceTable}: a line item per service, DynamoDB in both capacity
 * modes, CloudWatch Logs in both log classes, and monthly totals at a given volume.
 */
public final class CostModel {

    /** Memory the CDK app gives each function (infra/src/main/java/com/pisync/infra/constructs/*.java). */
    public static final Map<String, Integer> MEMORY_MB = Map.of("ingest", 512, "processor", 512, "stats", 512,
            "sweeper", 512, "query", 1024, "admin", 1024, "auth", 512);

    /** The functions an event passes through. The sweeper runs on a schedule, whatever the volume. */
    public static final Set<String> EVENT_FUNCTIONS = Set.of("ingest", "processor", "stats");

    /**
     * Messages Lambda's poller gets per ReceiveMessage at fleet rate. At 100 M events a day the queue takes over a
     * thousand messages a second, so every receive of Lambda's pollers (up to 10 messages each) comes back full. The
     * local poller runs at the benchmark's ~100 events a second and, with the queue nearly empty, receives one or two
     * messages a time: its count is reported beside the priced figure, not priced (as Lambda duration is modelled).
     */
    public static final int MESSAGES_PER_RECEIVE_AT_FLEET_RATE = 10;

    /** SQS requests the event path pays for: the ingest function's sends, Lambda's poller receives and deletes. */
    public static final List<String> SQS_BILLED = List.of("Sqs.SendMessageBatch", "Sqs.SendMessage",
            "Sqs.ReceiveMessage", "Sqs.DeleteMessageBatch", "Sqs.DeleteMessage", "Sqs.ChangeMessageVisibility",
            "Sqs.ChangeMessageVisibilityBatch");

    /**
     * CloudWatch Logs' per-event overhead, counted here on every log line (26 bytes, as PutLogEvents counts an
     * event's size; the infra's access-log comment counts it too). Errs high if the bill counts the message only.
     */
    public static final int LOG_EVENT_OVERHEAD_BYTES = 26;

    /**
     * One API Gateway access-log line in the infra's format (Ingest.ACCESS_LOG_FORMAT, copied), filled with the
     * values of a device upload: a 16-character request id, an IPv4 address of the longest
     * usual shape, the route key, status 202, a 2-digit latency, integration status 200, no error ("-").
     */
    public static final String ACCESS_LOG_LINE = "{"
            + "\"id\":\"" + "JxQ1aBcDoAMEbQw=" + "\","
            + "\"ip\":\"" + "203.113.145.210" + "\","
            + "\"r\":\"" + "POST /v1/sync-events" + "\","
            + "\"s\":\"" + "202" + "\","
            + "\"ms\":\"" + "18" + "\","
            + "\"is\":\"" + "200" + "\","
            + "\"ie\":\"" + "-" + "\","
            + "\"e\":\"" + "-" + "\""
            + "}";

    /** Bytes of one access-log event, its overhead included. */
    public static int accessLogBytesPerRequest() {
        return ACCESS_LOG_LINE.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + LOG_EVENT_OVERHEAD_BYTES;
    }

    /**
     * Quantities per event.
     *
     * @param invocations     Lambda invocations per event, by function
     * @param gbSeconds       billed GB-seconds per event, by function (billed ms × memory)
     * @param sqsRequests     billed SQS requests per event, the poller's receives at fleet rate (see
     *                        {@link #MESSAGES_PER_RECEIVE_AT_FLEET_RATE})
     * @param sqsRequestsMeasured the same with the receives the local poller made
     * @param capacity        DynamoDB units per event by table/index: {read, write}
     * @param logBytes        CloudWatch Logs bytes per event: function output and access log, overhead included
     */
    public record PerEvent(double apiRequests, Map<String, Double> invocations, Map<String, Double> gbSeconds,
            Map<String, Double> gbSecondsMeasured, double sqsRequests, double snsPublishes, Map<String, double[]> capacity, double functionLogBytes,
            double accessLogBytes, double sqsRequestsMeasured) {

        public double wcu() {
            return capacity.values().stream().mapToDouble(c -> c[1]).sum();
        }

        public double rcu() {
            return capacity.values().stream().mapToDouble(c -> c[0]).sum();
        }

        public double lambdaInvocations() {
            return invocations.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Modelled for Lambda (see {@link CostModel#modelledMillis}): what the line item prices. */
        public double lambdaGbSeconds() {
            return gbSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** As measured by the wall clock here, every invocation rounded up to 1 ms: an upper bound. */
        public double lambdaGbSecondsMeasured() {
            return gbSecondsMeasured.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        public double logBytes() {
            return functionLogBytes + accessLogBytes;
        }

        /** From a run's counts: {@code events} stored, {@code apiRequests} device uploads among them. */
        public static PerEvent of(Counts c, long events) {
            double n = events;
            Map<String, Double> inv = new LinkedHashMap<>();
            Map<String, Double> gbs = new LinkedHashMap<>();
            Map<String, Double> measured = new LinkedHashMap<>();
            double logs = 0;
            for (String f : List.of("ingest", "processor", "stats")) {
                Counts.Function s = c.function(f);
                inv.put(f, s.invocations() / n);
                // + 0.5 ms an invocation: Lambda rounds each invocation up to the next millisecond
                gbs.put(f, (modelledMillis(c, f) + 0.5 * s.invocations()) / 1000.0 * MEMORY_MB.get(f) / 1024.0 / n);
                measured.put(f, s.billedMillis() / 1000.0 * MEMORY_MB.get(f) / 1024.0 / n);
                logs += s.logBytes() + (double) s.logLines() * LOG_EVENT_OVERHEAD_BYTES;
            }
            double api = c.function("ingest").invocations() / n;
            double sqsMeasured = SQS_BILLED.stream().mapToLong(c::billed).sum() / n;
            double receives = c.billed("Sqs.ReceiveMessage");
            double sqs = sqsMeasured + (Math.ceil(c.messagesReceived() / (double) MESSAGES_PER_RECEIVE_AT_FLEET_RATE)
                    - receives) / n;
            double sns = (c.billed("Sns.Publish") + c.billed("Sns.PublishBatch")) / n;
            Map<String, double[]> cap = new LinkedHashMap<>();
            c.capacityByTable(EVENT_FUNCTIONS).forEach((k, v) -> cap.put(k, new double[] {v[0] / n, v[1] / n}));
            return new PerEvent(api, inv, gbs, measured, sqs, sns, cap, logs / n, api * accessLogBytesPerRequest(),
                    sqsMeasured);
        }
    }

    /** Lambda's CPU share: a full vCPU at 1,769 MB, proportionally less below. */
    public static final double MB_PER_VCPU = 1769;

    /**
     * Assumed in-region latency of one AWS call from Lambda, in ms (assumptions, not measured here: typical
     * single-digit-millisecond DynamoDB item operations, batch and transactional calls about twice that, SQS
     * and SNS calls ~10–15 ms).
     */
    public static double assumedLatencyMillis(String operation) {
        if (operation.startsWith("DynamoDb.Batch") || operation.startsWith("DynamoDb.Transact")) {
            return 10;
        }
        if (operation.startsWith("DynamoDb.")) {
            return 5;
        }
        if (operation.startsWith("Sns.")) {
            return 15;
        }
        return 10; // Sqs and anything else
    }

    /** Worker threads a function overlaps its AWS calls on (ProcessorHandler.PARALLEL_DEVICES). */
    public static int parallelism(String function) {
        return function.equals("processor") ? 8 : 1;
    }

    /**
     * A function's duration as Lambda would bill it, modelled from what was measured here: the CPU time its threads
     * used, stretched by Lambda's CPU share at its memory (arm64 cores taken as fast as this machine's), plus
     * each AWS call it made at the assumed in-region latency (divided among its worker threads). Local wall-clock
     * durations are no guide: the DynamoDB engine and ElasticMQ share the same two cores and answer in tens of ms.
     */
    public static double modelledMillis(Counts c, String function) {
        Counts.Function f = c.function(function);
        double cpuShare = Math.min(1.0, MEMORY_MB.getOrDefault(function, 1024) / MB_PER_VCPU);
        double waiting = 0;
        for (Map.Entry<String, Long> r : c.requestsOf(function).entrySet()) {
            waiting += r.getValue() * assumedLatencyMillis(r.getKey());
        }
        return f.cpuMillis() / cpuShare + waiting / parallelism(function);
    }

    /** A line of the bill, dollars per million events, in the mode the name says. */
    public record LineItem(String name, String quantity, double perMillion) {
    }

    /** DynamoDB capacity mode. */
    public enum Mode { ON_DEMAND, PROVISIONED }

    /** Log class of the function and access log groups. */
    public enum LogClass { STANDARD, INFREQUENT_ACCESS }

    private CostModel() {
    }

    /** Line items per million events (API Gateway at its first-tier price). */
    public static List<LineItem> perMillion(PerEvent e, Mode mode, LogClass logs) {
        double m = 1e6;
        List<LineItem> items = new ArrayList<>();
        items.add(new LineItem("API Gateway HTTP API", f("%.3f requests/event", e.apiRequests()),
                e.apiRequests() * PriceTable.HTTP_API_PER_MILLION));
        items.add(new LineItem("Lambda requests", f("%.4f invocations/event (%s)", e.lambdaInvocations(),
                brief(e.invocations(), "%.4f")), e.lambdaInvocations() * PriceTable.LAMBDA_PER_MILLION_REQUESTS));
        items.add(new LineItem("Lambda duration (arm64, modelled)", f("%.6f GB-s/event (%s)", e.lambdaGbSeconds(),
                brief(e.gbSeconds(), "%.6f")), e.lambdaGbSeconds() * m * PriceTable.LAMBDA_PER_GB_SECOND_ARM64));
        items.add(new LineItem("SQS", f("%.4f billed requests/event, receives at fleet rate (local poller: %.4f)",
                e.sqsRequests(), e.sqsRequestsMeasured()),
                e.sqsRequests() * PriceTable.SQS_PER_MILLION_REQUESTS));
        items.add(new LineItem("SNS", f("%.5f publishes/event", e.snsPublishes()),
                e.snsPublishes() * PriceTable.SNS_PER_MILLION_PUBLISHES));
        if (mode == Mode.ON_DEMAND) {
            items.add(new LineItem("DynamoDB writes (on-demand)", f("%.3f WRU/event", e.wcu()),
                    e.wcu() * PriceTable.DDB_ON_DEMAND_PER_MILLION_WRU));
            items.add(new LineItem("DynamoDB reads (on-demand)", f("%.3f RRU/event", e.rcu()),
                    e.rcu() * PriceTable.DDB_ON_DEMAND_PER_MILLION_RRU));
        } else {
            items.add(new LineItem("DynamoDB writes (provisioned)", f("%.3f WCU/event at %.0f%%", e.wcu(),
                    PriceTable.DDB_TARGET_UTILISATION * 100), PriceTable.provisioned(e.wcu() * m, PriceTable.DDB_PER_WCU_HOUR)));
            items.add(new LineItem("DynamoDB reads (provisioned)", f("%.3f RCU/event at %.0f%%", e.rcu(),
                    PriceTable.DDB_TARGET_UTILISATION * 100), PriceTable.provisioned(e.rcu() * m, PriceTable.DDB_PER_RCU_HOUR)));
        }
        items.add(new LineItem("DynamoDB Streams (read by Lambda)", "free", 0));
        double perGb = logs == LogClass.STANDARD ? PriceTable.LOGS_PER_GB_STANDARD : PriceTable.LOGS_PER_GB_INFREQUENT_ACCESS;
        // The functions' logs carry the EMF metrics (Standard class only); the API access log group is Infrequent
        // Access in the infra (Ingest), whatever the functions' class.
        items.add(new LineItem("CloudWatch Logs (functions " + (logs == LogClass.STANDARD ? "standard" : "infrequent access")
                + ", access log infrequent access)",
                f("%.1f bytes/event (functions %.1f, access log %.1f)", e.logBytes(), e.functionLogBytes(), e.accessLogBytes()),
                (e.functionLogBytes() * perGb + e.accessLogBytes() * PriceTable.LOGS_PER_GB_INFREQUENT_ACCESS) * m
                        / PriceTable.BYTES_PER_GB));
        return items;
    }

    public static double total(List<LineItem> items) {
        return items.stream().mapToDouble(LineItem::perMillion).sum();
    }

    /**
     * A month (30 days) at {@code eventsPerDay}: API Gateway with its volume tier; DynamoDB provisioned per table
     * and index as max(minimum capacity, average rate / target utilisation), every other resource at its minimum.
     *
     * @param resources   every table and index of the stack (provisioned mode has a floor on each)
     * @param minCapacity the auto-scaling minimum per table and index (infra StageConfig.PROVISIONED_MIN_CAPACITY)
     */
    public static Map<String, Double> monthly(PerEvent e, double eventsPerDay, Mode mode, LogClass logs,
            List<String> resources, int minCapacity) {
        double events = eventsPerDay * 30;
        Map<String, Double> bill = new LinkedHashMap<>();
        for (LineItem item : perMillion(e, Mode.ON_DEMAND, logs)) {
            if (!item.name().startsWith("DynamoDB")) {
                bill.put(item.name(), item.perMillion() * events / 1e6);
            }
        }
        bill.put("API Gateway HTTP API", PriceTable.httpApi(e.apiRequests() * events));
        if (mode == Mode.ON_DEMAND) {
            bill.put("DynamoDB (on-demand)", events / 1e6 * (e.wcu() * PriceTable.DDB_ON_DEMAND_PER_MILLION_WRU
                    + e.rcu() * PriceTable.DDB_ON_DEMAND_PER_MILLION_RRU));
        } else {
            double hours = 30 * 24;
            double perSecond = eventsPerDay / 86_400;
            double dollars = 0;
            for (String r : resources) {
                double[] u = e.capacity().getOrDefault(r, new double[2]);
                double rcu = Math.max(minCapacity, u[0] * perSecond / PriceTable.DDB_TARGET_UTILISATION);
                double wcu = Math.max(minCapacity, u[1] * perSecond / PriceTable.DDB_TARGET_UTILISATION);
                dollars += hours * (rcu * PriceTable.DDB_PER_RCU_HOUR + wcu * PriceTable.DDB_PER_WCU_HOUR);
            }
            bill.put("DynamoDB (provisioned, " + resources.size() + " tables+indexes, min " + minCapacity + ")", dollars);
        }
        return bill;
    }

    private static String brief(Map<String, Double> m, String format) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> {
            if (v > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(f(format, v));
            }
        });
        return b.toString();
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
