package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Operator alarms and the CloudWatch dashboard. Alarms notify the operator SNS topic (encrypted with
 * a key CloudWatch may use; optional email subscription {@code -c operatorEmail=...}) on ALARM and OK.
 * Each {@code watch*} method adds alarms plus a dashboard row, so new functions/queues/tables from
 * later issues are monitored with one call.
 */
public final class Monitoring extends Construct {

    private static final Duration PERIOD = Duration.minutes(5);
    /** Oldest message older than this means the processor is not keeping up (or is failing). */
    public static final Duration MAX_MESSAGE_AGE = Duration.minutes(10);
    /** A stream consumer this far behind is stuck or failing (stream records live 24 h). */
    public static final Duration MAX_ITERATOR_AGE = Duration.minutes(10);
    /** API server errors tolerated per 5 minutes before paging. */
    public static final int API_5XX_THRESHOLD = 5;

    /** The functions' embedded-metric-format namespace and dimension (com.pisync.aws.observability.Metrics). */
    public static final String METRICS_NAMESPACE = "PiSync";
    public static final String METRICS_DIMENSION = "function";
    /** Share of uploaded events refused (per event or whole upload), in %, over 15 minutes. */
    public static final int REJECTED_PERCENT_THRESHOLD = 10;
    /** Below this many events in 15 minutes the rejected share is not judged (one bad device is not a trend). */
    public static final int REJECTED_MIN_VOLUME = 50;
    /** Events accepted but neither stored nor recognised as duplicates, in % of accepted, over 15 minutes. */
    public static final int STORED_BEHIND_PERCENT_THRESHOLD = 20;
    public static final int STORED_BEHIND_MIN_VOLUME = 100;
    /** Failure-streak alerts opened in one hour across the fleet: a site-wide outage rather than single devices. */
    public static final int ALERTS_PER_HOUR_THRESHOLD = 100;
    private static final Duration BUSINESS_PERIOD = Duration.minutes(15);

    private final String prefix;
    private final Key key;
    private final Topic operatorTopic;
    private final Dashboard dashboard;
    private final List<Alarm> alarms = new ArrayList<>();

    public Monitoring(Construct scope, String id, StageConfig stage) {
        super(scope, id);
        prefix = "PiSync-" + stage.stage() + "-";

        key = Key.Builder.create(this, "OperatorTopicKey")
                .description("PiSync " + stage.stage() + ": encrypts the operator alarm topic")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(stage.isProduction() ? 30 : 7))
                .removalPolicy(stage.statefulRemovalPolicy())
                .build();
        // CloudWatch calls KMS itself when an alarm publishes to an encrypted topic.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarmsToPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        operatorTopic = Topic.Builder.create(this, "OperatorTopic")
                .displayName("PiSync " + stage.stage() + " operator alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        stage.operatorEmail().ifPresent(email -> operatorTopic.addSubscription(new EmailSubscription(email)));

        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("PiSync-" + stage.stage())
                .build();
    }

    public Topic operatorTopic() {
        return operatorTopic;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    public void watchHttpApi(String label, HttpApi api) {
        Alarm serverErrors = alarm(label + "Api5xx", label + " API: " + API_5XX_THRESHOLD
                + "+ server errors (5xx) in 5 minutes", api.metricServerError(sum()), API_5XX_THRESHOLD);
        dashboard.addWidgets(
                graph(label + " API requests", List.of(api.metricCount(sum()))),
                graph(label + " API errors", List.of(api.metricClientError(sum()), api.metricServerError(sum()))),
                graph(label + " API latency (p50/p99)", List.of(
                        api.metricLatency(stat("p50")), api.metricLatency(stat("p99")))),
                status(label + " API alarms", serverErrors));
    }

    /** Errors and throttles alarms (both ≥ 1 in 5 minutes) for a function, across all its versions. */
    public void watchFunction(String label, LiveFunction live) {
        var fn = live.function();
        Alarm errors = alarm(label + "Errors", label + " function: invocation errors", fn.metricErrors(sum()), 1);
        Alarm throttles = alarm(label + "Throttles", label + " function: throttled invocations",
                fn.metricThrottles(sum()), 1);
        dashboard.addWidgets(
                graph(label + " invocations / errors / throttles", List.of(
                        fn.metricInvocations(sum()), fn.metricErrors(sum()), fn.metricThrottles(sum()))),
                graph(label + " duration (p50/p99/max)", List.of(
                        fn.metricDuration(stat("p50")), fn.metricDuration(stat("p99")), fn.metricDuration(stat("Maximum")))),
                graph(label + " concurrency", List.of(fn.metric("ConcurrentExecutions", stat("Maximum")))),
                status(label + " alarms", errors, throttles));
    }

    /**
     * A stream consumer: the age of the newest record it was handed ({@code IteratorAge}, maximum)
     * alarms at {@link #MAX_ITERATOR_AGE}. Call in addition to {@link #watchFunction}.
     */
    public void watchStreamConsumer(String label, LiveFunction live) {
        var fn = live.function();
        IMetric age = fn.metric("IteratorAge", stat("Maximum"));
        Alarm behind = alarm(label + "IteratorAge", label + " function: stream records waiting more than "
                + MAX_ITERATOR_AGE.toMinutes() + " minutes (failing or stuck batch?)", age,
                MAX_ITERATOR_AGE.toMilliseconds().doubleValue());
        dashboard.addWidgets(
                graph(label + " iterator age (ms, max)", List.of(age)),
                status(label + " stream alarms", behind));
    }

    /** A work queue and its DLQ: any message in the DLQ alarms, as does a backlog older than {@link #MAX_MESSAGE_AGE}. */
    public void watchQueue(String label, IQueue queue, IQueue deadLetterQueue) {
        Alarm dlq = alarm(label + "DlqNotEmpty", label + ": messages in the dead-letter queue (failed "
                        + Processing.MAX_RECEIVE_COUNT + " times) - inspect and redrive",
                deadLetterQueue.metricApproximateNumberOfMessagesVisible(stat("Maximum", Duration.minutes(1))), 1);
        Alarm age = alarm(label + "BacklogAge", label + ": oldest message older than "
                        + MAX_MESSAGE_AGE.toMinutes() + " minutes",
                queue.metricApproximateAgeOfOldestMessage(stat("Maximum")), MAX_MESSAGE_AGE.toSeconds().doubleValue());
        dashboard.addWidgets(
                graph(label + " queue depth", List.of(
                        queue.metricApproximateNumberOfMessagesVisible(stat("Maximum")),
                        queue.metricApproximateNumberOfMessagesNotVisible(stat("Maximum")))),
                graph(label + " oldest message (s)", List.of(queue.metricApproximateAgeOfOldestMessage(stat("Maximum")))),
                graph(label + " DLQ depth", List.of(deadLetterQueue.metricApproximateNumberOfMessagesVisible(stat("Maximum")))),
                status(label + " alarms", dlq, age));
    }

    /**
     * Alarms on the business metrics the functions print as EMF: uploads rejected rising (share of refused events,
     * per event or whole uploads), stored falling behind accepted (processor output vs ingest input; the queue's
     * backlog-age alarm catches a stuck processor, this one a processor that drops or loses events), and alerts per
     * hour spiking (many devices failing at once). Plus a dashboard row with the metrics.
     */
    public void watchBusinessMetrics() {
        // Accepted events are counted by the processor at their first delivery (ingest prints EMF only for refusals).
        IMetric accepted = business("processor", "EventsQueued", BUSINESS_PERIOD);
        IMetric rejected = business("ingest", "EventsRejected", BUSINESS_PERIOD);
        IMetric uploadsRejected = business("ingest", "UploadsRejected", BUSINESS_PERIOD);
        IMetric stored = business("processor", "EventsStored", BUSINESS_PERIOD);
        IMetric duplicates = business("processor", "DuplicatesDropped", BUSINESS_PERIOD);
        IMetric rejectedShare = MathExpression.Builder.create()
                .expression("IF((accepted + rejected + uploads) >= " + REJECTED_MIN_VOLUME
                        + ", 100 * (rejected + uploads) / (accepted + rejected + uploads), 0)")
                .usingMetrics(Map.of("accepted", accepted, "rejected", rejected, "uploads", uploadsRejected))
                .label("rejected share of uploaded events (%)")
                .period(BUSINESS_PERIOD)
                .build();
        IMetric storedBehind = MathExpression.Builder.create()
                .expression("IF(accepted >= " + STORED_BEHIND_MIN_VOLUME
                        + ", 100 * (accepted - stored - duplicates) / accepted, 0)")
                .usingMetrics(Map.of("accepted", accepted, "stored", stored, "duplicates", duplicates))
                .label("accepted not stored (%)")
                .period(BUSINESS_PERIOD)
                .build();
        IMetric alertsPerHour = business("processor", "AlertsOpened", Duration.hours(1));
        Alarm rejectedRising = alarm("UploadsRejectedRising", "Uploads: " + REJECTED_PERCENT_THRESHOLD
                + "%+ of uploaded events refused over 15 minutes (a device release sending bad data?)", rejectedShare,
                REJECTED_PERCENT_THRESHOLD, 2);
        Alarm behind = alarm("StoredBehindAccepted", "Processing: " + STORED_BEHIND_PERCENT_THRESHOLD
                + "%+ of accepted events neither stored nor duplicates, 3 periods of 15 minutes in a row",
                storedBehind, STORED_BEHIND_PERCENT_THRESHOLD, 3);
        Alarm spiking = alarm("AlertsPerHourSpiking", "Alerts: " + ALERTS_PER_HOUR_THRESHOLD
                + "+ failure-streak alerts opened in an hour (a site or network outage?)", alertsPerHour,
                ALERTS_PER_HOUR_THRESHOLD, 1);
        dashboard.addWidgets(
                graph("Events accepted / rejected / stored / duplicates", List.of(accepted, rejected, stored, duplicates)),
                graph("Processing lag (ms, max)", List.of(business("processor", "ProcessingLag", PERIOD, "Maximum"))),
                graph("Alerts opened per hour", List.of(alertsPerHour)),
                status("Business alarms", rejectedRising, behind, spiking));
    }

    private static IMetric business(String function, String name, Duration period) {
        return business(function, name, period, "Sum");
    }

    private static IMetric business(String function, String name, Duration period, String statistic) {
        return software.amazon.awscdk.services.cloudwatch.Metric.Builder.create()
                .namespace(METRICS_NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(METRICS_DIMENSION, function))
                .statistic(statistic)
                .period(period)
                .build();
    }

    /** One throttle alarm per table (read + write throttle events ≥ 1 in 5 minutes). */
    public void watchTables(Map<String, Table> tables) {
        List<IMetric> consumed = new ArrayList<>();
        List<IMetric> throttled = new ArrayList<>();
        List<Alarm> tableAlarms = new ArrayList<>();
        tables.forEach((label, table) -> {
            String suffix = label.toLowerCase(Locale.ROOT); // ids must be unique within one graph
            IMetric throttles = MathExpression.Builder.create()
                    .expression("r_" + suffix + " + w_" + suffix)
                    .usingMetrics(Map.of(
                            "r_" + suffix, table.metric("ReadThrottleEvents", sum()),
                            "w_" + suffix, table.metric("WriteThrottleEvents", sum())))
                    .label(label + " throttle events")
                    .period(PERIOD)
                    .build();
            tableAlarms.add(alarm(label + "Throttles", "DynamoDB table " + label + ": throttled requests", throttles, 1));
            throttled.add(throttles);
            consumed.add(table.metricConsumedWriteCapacityUnits(MetricOptions.builder()
                    .statistic("Sum").period(PERIOD).label(label + " WCU").build()));
            consumed.add(table.metricConsumedReadCapacityUnits(MetricOptions.builder()
                    .statistic("Sum").period(PERIOD).label(label + " RCU").build()));
        });
        dashboard.addWidgets(
                graph("DynamoDB consumed capacity", consumed),
                graph("DynamoDB throttle events", throttled),
                status("DynamoDB alarms", tableAlarms.toArray(Alarm[]::new)));
    }

    private Alarm alarm(String id, String description, IMetric metric, double threshold) {
        return alarm(id, description, metric, threshold, 1);
    }

    private Alarm alarm(String id, String description, IMetric metric, double threshold, int evaluationPeriods) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(prefix + id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(evaluationPeriods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        SnsAction action = new SnsAction(operatorTopic);
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        alarms.add(alarm);
        return alarm;
    }

    private static MetricOptions sum() {
        return stat("Sum");
    }

    private static MetricOptions stat(String statistic) {
        return stat(statistic, PERIOD);
    }

    private static MetricOptions stat(String statistic, Duration period) {
        return MetricOptions.builder().statistic(statistic).period(period).build();
    }

    private static IWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(6).height(6).build();
    }

    private static IWidget status(String title, Alarm... alarms) {
        return AlarmStatusWidget.Builder.create().title(title).alarms(List.of(alarms)).width(6).height(6).build();
    }
}
