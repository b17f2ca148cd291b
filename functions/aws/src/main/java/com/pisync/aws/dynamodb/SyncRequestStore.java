package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.pisync.domain.SyncRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Sync requests: created by admins, delivered on ingest, completed by the processor. */
public final class SyncRequestStore {

    /** A device has at most this many open requests; more clicks add nothing the device would do. */
    public static final int MAX_OPEN = 20;

    private final DynamoDbClient dynamo;
    private final String table;

    public SyncRequestStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void create(SyncRequest request) {
        dynamo.putItem(r -> r.tableName(table).item(SyncRequestItems.toItem(request))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", SyncRequestItems.REQUEST_ID))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /**
     * The device's requests still open at {@code now}, oldest first: one Query over the ids that can
     * still be open (made within the longest time-to-live), usually a single 0.5 RCU read.
     */
    public List<SyncRequest> open(String deviceId, Instant now) {
        QueryResponse page = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("#d = :d AND #id >= :from")
                .filterExpression("#s IN (:queued, :delivered) AND #exp > :now")
                .expressionAttributeNames(Map.of("#d", SyncRequestItems.DEVICE_ID, "#id", SyncRequestItems.REQUEST_ID,
                        "#s", SyncRequestItems.STATUS, "#exp", SyncRequestItems.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":d", s(deviceId),
                        ":from", s(SyncRequest.firstIdAt(now.minus(SyncRequest.MAX_TTL))),
                        ":queued", s(SyncRequest.Status.QUEUED.wireName()),
                        ":delivered", s(SyncRequest.Status.DELIVERED.wireName()),
                        ":now", time(now)))
                .limit(100)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return page.items().stream().map(SyncRequestItems::fromItem).toList();
    }

    /** First delivery: queued → delivered. Later deliveries change nothing. */
    public void markDelivered(String deviceId, String requestId, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(SyncRequestItems.key(deviceId, requestId))
                    .updateExpression("SET #s = :delivered, #at = :at")
                    .conditionExpression("#s = :queued")
                    .expressionAttributeNames(Map.of("#s", SyncRequestItems.STATUS, "#at", SyncRequestItems.DELIVERED_AT))
                    .expressionAttributeValues(Map.of(":delivered", s(SyncRequest.Status.DELIVERED.wireName()),
                            ":queued", s(SyncRequest.Status.QUEUED.wireName()), ":at", time(at)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException alreadyDelivered) {
            // delivered (or answered) by an earlier upload
        }
    }

    /**
     * The device answered: completed when its sync succeeded, failed otherwise. Only the first answer
     * counts; an unknown request id (a device's own command id, a purged request) changes nothing.
     */
    public void complete(String deviceId, String requestId, boolean succeeded, String eventId, Instant at) {
        SyncRequest.Status outcome = succeeded ? SyncRequest.Status.COMPLETED : SyncRequest.Status.FAILED;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(SyncRequestItems.key(deviceId, requestId))
                    .updateExpression("SET #s = :outcome, #at = :at, #e = :event")
                    .conditionExpression("#s IN (:queued, :delivered)")
                    .expressionAttributeNames(Map.of("#s", SyncRequestItems.STATUS, "#at", SyncRequestItems.COMPLETED_AT,
                            "#e", SyncRequestItems.EVENT_ID))
                    .expressionAttributeValues(Map.of(":outcome", s(outcome.wireName()), ":at", time(at),
                            ":event", s(eventId), ":queued", s(SyncRequest.Status.QUEUED.wireName()),
                            ":delivered", s(SyncRequest.Status.DELIVERED.wireName())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException answeredOrUnknown) {
            // first answer wins; unknown ids are ignored
        }
    }

    /** One page of a device's requests, newest first. */
    public Page<SyncRequest> list(String deviceId, int limit, Map<String, AttributeValue> exclusiveStart) {
        QueryResponse page = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("#d = :d")
                .expressionAttributeNames(Map.of("#d", SyncRequestItems.DEVICE_ID))
                .expressionAttributeValues(Map.of(":d", s(deviceId)))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(exclusiveStart)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return new Page<>(page.items().stream().map(SyncRequestItems::fromItem).toList(),
                page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null);
    }
}
