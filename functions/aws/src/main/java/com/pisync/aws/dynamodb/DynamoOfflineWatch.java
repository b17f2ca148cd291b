package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.OfflineWatch;
import com.pisync.aws.ports.Page;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link OfflineWatch} on the sparse, keys-only {@code offline_due} index ({@code watch_shard},
 * {@code offline_hour}): one Query per page for {@code offline_hour < hour(now)}. The position is the last
 * entry's offline hour and device id (the index's key and the table's).
 */
public final class DynamoOfflineWatch implements OfflineWatch {

    private static final String SEPARATOR = "|";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOfflineWatch(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Page<String> due(String shard, Instant now, String after, int limit) {
        Map<String, AttributeValue> from = after == null ? null : startKey(shard, after);
        QueryResponse page = dynamo.query(q -> q.tableName(table)
                .indexName(DeviceIndexes.OFFLINE_DUE)
                .keyConditionExpression("#shard = :shard AND #hour < :cutoff")
                .expressionAttributeNames(Map.of("#shard", DeviceIndexes.WATCH_SHARD,
                        "#hour", DeviceIndexes.OFFLINE_HOUR))
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shard),
                        ":cutoff", AttributeValue.fromS(DeviceIndexes.offlineHour(now))))
                .limit(limit)
                .exclusiveStartKey(from)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        Map<String, AttributeValue> last = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey() : null;
        return new Page<>(page.items().stream().map(i -> i.get(DeviceItems.DEVICE_ID).s()).toList(),
                last == null ? null : last.get(DeviceIndexes.OFFLINE_HOUR).s() + SEPARATOR
                        + last.get(DeviceItems.DEVICE_ID).s());
    }

    private static Map<String, AttributeValue> startKey(String shard, String after) {
        int cut = after.indexOf(SEPARATOR);
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(DeviceIndexes.WATCH_SHARD, AttributeValue.fromS(shard));
        key.put(DeviceIndexes.OFFLINE_HOUR, AttributeValue.fromS(after.substring(0, cut)));
        key.put(DeviceItems.DEVICE_ID, AttributeValue.fromS(after.substring(cut + 1)));
        return key;
    }
}
