package com.pisync.infra.constructs;

import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.FilterRule;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSourceProps;
import software.constructs.Construct;

/**
 * The stats function: consumes the {@code devices} and {@code sync_events} streams (the latter
 * filtered to INSERTs) and keeps the fleet counters in the {@code stats} table.
 *
 * <p>A delivery that is not fully counted is reported as failed from its first record and retried
 * without limit (retryAttempts and record age -1): the function's checkpoint makes a retry add nothing
 * twice, and dropping records would make the counters wrong for good. A stuck shard shows as
 * IteratorAge (alarmed by Monitoring) well before the streams' 24 h retention.
 */
public final class FleetStats extends Construct {

    public static final String HANDLER = "com.pisync.stats.StatsHandler::handleRequest";
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.seconds(60);
    public static final int BATCH_SIZE = 1000;
    /**
     * Records gather up to 60 s: each invocation is a counter transaction (2 write units per counter), so fewer,
     * fuller batches write less; fleet charts and site incidents follow within a minute.
     */
    public static final Duration MAX_BATCHING_WINDOW = Duration.seconds(60);
    /** Infinite, as Lambda spells it (also Lambda's default; written out so it cannot drift). */
    public static final int RETRY_ATTEMPTS = -1;
    /** Infinite (Lambda's default too). */
    public static final int MAX_RECORD_AGE_SECONDS = -1;

    private final LiveFunction stats;

    public FleetStats(Construct scope, String id, FunctionFactory functions, Storage storage, Alerts alerts) {
        super(scope, id);

        stats = functions.create(this, "StatsFunction", new FunctionSpec(
                "stats",
                HANDLER,
                "PiSync: maintains fleet counters from the devices and sync_events streams",
                MEMORY_MB,
                TIMEOUT,
                Map.of("ALERTS_TOPIC_ARN", alerts.topic().getTopicArn())));

        // The counter updates are one TransactWriteItems of Update items, authorised by dynamodb:UpdateItem.
        storage.grantTable(stats.role(), storage.stats(), "dynamodb:UpdateItem", "dynamodb:GetItem");
        // Site incidents (v1.1), evaluated right after a delivery moved a site's status counters: the counters
        // (stats Query, strongly consistent), the site's profile (sites GetItem), its incident state and incident
        // (incidents GetItem; transitions are TransactWriteItems of Update and Put, so UpdateItem and PutItem; the
        // covered devices BatchWriteItem), the affected devices when one opens (devices by_site_status), and the
        // one SNS message per transition.
        var role = stats.role();
        storage.grantTable(role, storage.stats(), "dynamodb:Query");
        storage.grantTable(role, storage.sites(), "dynamodb:GetItem");
        storage.grantTable(role, storage.incidents(), "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem",
                "dynamodb:BatchWriteItem");
        storage.grantIndexes(role, storage.devices(), List.of("by_site_status"), "dynamodb:Query");
        alerts.grantPublish(role);

        // DescribeStream/GetRecords/GetShardIterator on each stream ARN and ListStreams are granted by the sources.
        stats.alias().addEventSource(new DynamoEventSource(storage.devices(), props(null)));
        stats.alias().addEventSource(new DynamoEventSource(storage.syncEvents(), props(
                List.of(FilterCriteria.filter(Map.of("eventName", FilterRule.isEqual("INSERT")))))));
        // MaximumRecordAgeInSeconds -1 (infinite): CDK's maxRecordAge only accepts 60 s..7 d, so it is set here.
        List<CfnEventSourceMapping> mappings = stats.alias().getNode().getChildren().stream()
                .filter(EventSourceMapping.class::isInstance)
                .map(c -> (CfnEventSourceMapping) c.getNode().getDefaultChild())
                .toList();
        if (mappings.size() != 2) {
            throw new IllegalStateException("expected the two stream mappings, found " + mappings.size());
        }
        mappings.forEach(m -> m.addPropertyOverride("MaximumRecordAgeInSeconds", MAX_RECORD_AGE_SECONDS));

        // On the role's policy only (where the grant sits), not on the role.
        NagSuppressions.addResourceSuppressions(stats.role().getNode().findChild("DefaultPolicy"), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("dynamodb:ListStreams supports no resource-level permission (only \"*\"); it is part of the "
                        + "stream-read set Lambda documents for a DynamoDB event source and DynamoEventSource grants it. "
                        + "The stream reads themselves are scoped to the two stream ARNs.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }

    private static DynamoEventSourceProps props(List<Map<String, Object>> filters) {
        DynamoEventSourceProps.Builder props = DynamoEventSourceProps.builder()
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(BATCH_SIZE)
                .maxBatchingWindow(MAX_BATCHING_WINDOW)
                .reportBatchItemFailures(true)
                .bisectBatchOnError(false)
                .parallelizationFactor(1)
                .retryAttempts(RETRY_ATTEMPTS);
        if (filters != null) {
            props.filters(filters);
        }
        return props.build();
    }

    public LiveFunction stats() {
        return stats;
    }
}
