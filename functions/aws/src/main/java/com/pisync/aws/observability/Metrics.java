package com.pisync.aws.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Business metrics in CloudWatch embedded metric format (EMF): one JSON document per invocation printed to
 * standard output, which Lambda hands to CloudWatch Logs, which turns it into metrics — no PutMetricData call,
 * no extra permission, no latency. Namespace {@link #NAMESPACE}, one dimension {@code function} (the short name:
 * ingest, processor...), so an alarm names a metric without knowing the stage's function names. The document
 * also carries {@code request_id}, so a metric point leads to its log lines.
 *
 * <p>Collect with {@link #count} / {@link #milliseconds}, then {@link #flush()} once at the end of the
 * invocation (nothing is printed when nothing was recorded). Not thread-safe: one per invocation.
 */
public final class Metrics {

    public static final String NAMESPACE = "PiSync";
    public static final String DIMENSION = "function";

    /** The business metrics (names are part of the alarms' contract: infra/ refers to them). */
    /**
     * Events queued, counted by the processor on each message's first delivery (its ApproximateReceiveCount is 1),
     * so the event path prints one document per batch instead of one per upload: at one event per upload a
     * document per upload cost about $0.10 per million events in CloudWatch Logs ingestion.
     */
    public static final String EVENTS_QUEUED = "EventsQueued";
    public static final String EVENTS_REJECTED = "EventsRejected";
    public static final String UPLOADS_REJECTED = "UploadsRejected";
    public static final String EVENTS_STORED = "EventsStored";
    public static final String DUPLICATES_DROPPED = "DuplicatesDropped";
    public static final String ALERTS_OPENED = "AlertsOpened";
    public static final String PROCESSING_LAG = "ProcessingLag";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String function;
    private final String requestId;
    private final Clock clock;
    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();

    public Metrics(String function, String requestId) {
        this(function, requestId, Clock.systemUTC());
    }

    Metrics(String function, String requestId, Clock clock) {
        this.function = function;
        this.requestId = requestId;
        this.clock = clock;
    }

    /** Metrics of one invocation, dimensioned by the log's short function name. */
    public static Metrics of(String function, Log log) {
        return new Metrics(function, log.requestId());
    }

    /** Adds to a count (several calls add up). */
    public Metrics count(String name, long n) {
        values.merge(name, (double) n, Double::sum);
        units.put(name, "Count");
        return this;
    }

    /** Sets a duration; the largest of several calls is kept (the lag that matters is the worst one). */
    public Metrics milliseconds(String name, long millis) {
        values.merge(name, (double) Math.max(0, millis), Math::max);
        units.put(name, "Milliseconds");
        return this;
    }

    /** The EMF document, or null when nothing was recorded. */
    public String document() {
        if (values.isEmpty()) {
            return null;
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add(DIMENSION);
        ArrayNode metrics = directive.putArray("Metrics");
        root.put(DIMENSION, function);
        values.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", units.get(name));
            if (value == Math.rint(value)) {
                root.put(name, value.longValue());
            } else {
                root.put(name, value);
            }
        });
        if (requestId != null) {
            root.put("request_id", requestId);
        }
        return root.toString();
    }

    /** Prints the document (once) and forgets the values. */
    public void flush() {
        String doc = document();
        if (doc != null) {
            System.out.println(doc);
        }
        values.clear();
        units.clear();
    }
}
