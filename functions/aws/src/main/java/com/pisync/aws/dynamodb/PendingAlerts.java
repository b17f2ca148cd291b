package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.n;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.PendingAlertWatch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link PendingAlertWatch} on the devices table: devices whose outbox holds alert transitions that no processor
 * run will publish carry the keys of the sparse, keys-only {@link DeviceIndexes#PENDING_ALERTS} index until their
 * outbox is empty, so the sweeper finds them in O(pending) without reading the fleet.
 */
public final class PendingAlerts implements PendingAlertWatch {

    private static final String SEPARATOR = "|";

    private final DynamoDbClient dynamo;
    private final String table;

    public PendingAlerts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** One Query of the shard's index partition, keys only; the position is the last entry's since and id. */
    @Override
    public Page<String> waitingSince(String shard, Instant cutoff, String after, int limit) {
        Map<String, AttributeValue> from = after == null ? null : startKey(shard, after);
        QueryResponse page = dynamo.query(q -> q.tableName(table)
                .indexName(DeviceIndexes.PENDING_ALERTS)
                .keyConditionExpression("#shard = :shard AND #since < :cutoff")
                .expressionAttributeNames(Map.of("#shard", DeviceIndexes.ALERTS_SHARD,
                        "#since", DeviceIndexes.ALERTS_PENDING_SINCE))
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shard),
                        ":cutoff", AttributeValue.fromS(cutoff.toString())))
                .limit(limit)
                .exclusiveStartKey(from)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        List<String> ids = page.items().stream().map(i -> i.get(DeviceItems.DEVICE_ID).s()).toList();
        Map<String, AttributeValue> last = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey() : null;
        return new Page<>(ids, last == null ? null : last.get(DeviceIndexes.ALERTS_PENDING_SINCE).s() + SEPARATOR
                + last.get(DeviceItems.DEVICE_ID).s());
    }

    /** The index key a position (pending-since and device id) stands for. */
    private static Map<String, AttributeValue> startKey(String shard, String after) {
        int cut = after.indexOf(SEPARATOR);
        return Map.of(DeviceIndexes.ALERTS_SHARD, AttributeValue.fromS(shard),
                DeviceIndexes.ALERTS_PENDING_SINCE, AttributeValue.fromS(after.substring(0, cut)),
                DeviceItems.DEVICE_ID, AttributeValue.fromS(after.substring(cut + 1)));
    }

    /** One UpdateItem removing the index keys, guarded by the version read in {@code before}. */
    @Override
    public boolean leave(DeviceRecord before) {
        if (!before.outbox().isEmpty()) {
            throw new IllegalArgumentException("device " + before.state().deviceId() + " still has unpublished alerts");
        }
        ItemUpdate u = new ItemUpdate().putAll(DeviceIndexes.forPendingAlerts(before.state().deviceId(), null))
                .put(DeviceItems.VERSION, n(before.version() + 1));
        return u.apply(dynamo, table, DeviceItems.key(before.state().deviceId()),
                DeviceStore.versionCondition(u, before), false) != null;
    }
}
