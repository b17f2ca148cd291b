package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.Page;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * A sparse, write-sharded, keys-only index of the devices table that the sweeper watches (devices keyed by a
 * time-like sort key): one Query of a shard's partition for the entries below a cutoff. The position is the last
 * entry's sort key and device id (the index's key and the table's).
 */
record WatchIndex(DynamoDbClient dynamo, String table, String index, String shardAttribute, String sortAttribute) {

    private static final String SEPARATOR = "|";

    /** Device ids of {@code shard} whose sort key is below {@code cutoff}, after {@code after} (null: from the start). */
    Page<String> below(String shard, String cutoff, String after, int limit) {
        Map<String, AttributeValue> from = after == null ? null : startKey(shard, after);
        QueryResponse page = dynamo.query(q -> q.tableName(table)
                .indexName(index)
                .keyConditionExpression("#shard = :shard AND #sort < :cutoff")
                .expressionAttributeNames(Map.of("#shard", shardAttribute, "#sort", sortAttribute))
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shard),
                        ":cutoff", AttributeValue.fromS(cutoff)))
                .limit(limit)
                .exclusiveStartKey(from)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        Map<String, AttributeValue> last = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey() : null;
        return new Page<>(page.items().stream().map(i -> i.get(DeviceItems.DEVICE_ID).s()).toList(),
                last == null ? null : last.get(sortAttribute).s() + SEPARATOR + last.get(DeviceItems.DEVICE_ID).s());
    }

    /** The index key a position stands for. */
    private Map<String, AttributeValue> startKey(String shard, String after) {
        int cut = after.indexOf(SEPARATOR);
        return Map.of(shardAttribute, AttributeValue.fromS(shard),
                sortAttribute, AttributeValue.fromS(after.substring(0, cut)),
                DeviceItems.DEVICE_ID, AttributeValue.fromS(after.substring(cut + 1)));
    }
}
