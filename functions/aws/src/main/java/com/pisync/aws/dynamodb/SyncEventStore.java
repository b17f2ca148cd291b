package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.EventLedger;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** A device's sync history: one item per event, keyed by device and order key. */
public final class SyncEventStore implements EventLedger {

    private static final int BATCH_GET_LIMIT = 100;
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int MAX_UNPROCESSED_ROUNDS = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public SyncEventStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    /** Items one range read may cover before the rest of the keys are looked up one by one. */
    private static final int RANGE_READ_SLACK = 16;

    /**
     * Which of these order keys of the device are stored. An eventually consistent answer may miss a
     * just-written item, never invent one.
     *
     * <p>Several keys are usually one upload's events, next to each other in device order: one Query over their
     * range reads them for the summed size of the items (10 history items ≈ 3 KB: 0.5 read unit eventually
     * consistent) where a BatchGetItem charges each item at least 0.5. A range holding many other events (a late
     * event far back) is read only up to a bound; keys it did not reach are looked up by key.
     */
    @Override
    public Set<String> storedKeys(String deviceId, Collection<String> orderKeys, boolean consistent) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(orderKeys);
        if (keys.size() < 2) {
            return getKeys(deviceId, keys, consistent);
        }
        QueryResponse range = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("#d = :d AND #k BETWEEN :first AND :last")
                .expressionAttributeNames(Map.of("#d", SyncEventItems.DEVICE_ID, "#k", SyncEventItems.ORDER_KEY))
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(deviceId),
                        ":first", AttributeValue.fromS(keys.first()), ":last", AttributeValue.fromS(keys.last())))
                .projectionExpression("#k")
                .consistentRead(consistent)
                .limit(keys.size() + RANGE_READ_SLACK)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        Set<String> found = new HashSet<>();
        range.items().stream().map(item -> item.get(SyncEventItems.ORDER_KEY).s()).filter(keys::contains)
                .forEach(found::add);
        if (range.hasLastEvaluatedKey() && !range.lastEvaluatedKey().isEmpty()) {
            String reached = range.lastEvaluatedKey().get(SyncEventItems.ORDER_KEY).s();
            found.addAll(getKeys(deviceId, keys.tailSet(reached, false), consistent));
        }
        return found;
    }

    private Set<String> getKeys(String deviceId, Collection<String> orderKeys, boolean consistent) {
        Set<String> found = new HashSet<>();
        List<String> keys = new ArrayList<>(orderKeys);
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT))
                    .stream().map(k -> SyncEventItems.key(deviceId, k)).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(batch)
                    .consistentRead(consistent).projectionExpression("#k")
                    .expressionAttributeNames(Map.of("#k", SyncEventItems.ORDER_KEY)).build());
            for (int round = 0; !request.isEmpty(); round++) {
                if (round == MAX_UNPROCESSED_ROUNDS) {
                    throw new IllegalStateException("DynamoDB kept returning unprocessed keys; retry later");
                }
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(pending)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> found.add(item.get(SyncEventItems.ORDER_KEY).s()));
                request = response.unprocessedKeys();
                backoff(round, !request.isEmpty());
            }
        }
        return found;
    }

    /** Stored items by (device, order key), eventually consistent, in the order asked; missing ones skipped. */
    public List<Map<String, AttributeValue>> getAll(List<Map.Entry<String, String>> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT))
                    .stream().distinct().map(k -> SyncEventItems.key(k.getKey(), k.getValue())).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(batch).build());
            for (int round = 0; !request.isEmpty(); round++) {
                if (round == MAX_UNPROCESSED_ROUNDS) {
                    throw new IllegalStateException("DynamoDB kept returning unprocessed keys; retry later");
                }
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(pending)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(
                        item.get(SyncEventItems.DEVICE_ID).s() + "\n" + item.get(SyncEventItems.ORDER_KEY).s(), item));
                request = response.unprocessedKeys();
                backoff(round, !request.isEmpty());
            }
        }
        List<Map<String, AttributeValue>> ordered = new ArrayList<>();
        for (Map.Entry<String, String> k : keys) {
            Map<String, AttributeValue> item = found.get(k.getKey() + "\n" + k.getValue());
            if (item != null) {
                ordered.add(item);
            }
        }
        return ordered;
    }

    /** Writes history items; repeating a write stores the same item again, so retries are harmless. */
    @Override
    public void putAll(Collection<ReceivedSyncEvent> events, String site) {
        List<WriteRequest> writes = events.stream()
                .map(e -> WriteRequest.builder().putRequest(PutRequest.builder()
                        .item(SyncEventItems.toItem(e, site, retention)).build()).build())
                .toList();
        for (int from = 0; from < writes.size(); from += BATCH_WRITE_LIMIT) {
            Map<String, List<WriteRequest>> request = Map.of(table,
                    writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE_LIMIT)));
            for (int round = 0; !request.isEmpty(); round++) {
                if (round == MAX_UNPROCESSED_ROUNDS) {
                    throw new IllegalStateException("DynamoDB kept returning unprocessed writes; retry later");
                }
                Map<String, List<WriteRequest>> pending = request;
                BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(pending)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                request = response.unprocessedItems();
                backoff(round, !request.isEmpty());
            }
        }
    }

    /** The stored events of the device after {@code orderKey}, as a failure streak (strongly consistent). */
    @Override
    public FailureStreak failuresAfter(String deviceId, String orderKey) {
        FailureStreak streak = FailureStreak.NONE;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table)
                    .keyConditionExpression("#d = :d AND #k > :k")
                    .expressionAttributeNames(Map.of("#d", SyncEventItems.DEVICE_ID, "#k", SyncEventItems.ORDER_KEY))
                    .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(deviceId),
                            ":k", AttributeValue.fromS(orderKey)))
                    .consistentRead(true)
                    .exclusiveStartKey(exclusiveStart)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            for (Map<String, AttributeValue> item : page.items()) {
                streak = streak.with(SyncEventItems.fromItem(item).event());
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return streak;
    }

    /** Newest first, for tests and the history view. */
    public List<ReceivedSyncEvent> history(String deviceId, int limit) {
        QueryResponse page = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("#d = :d")
                .expressionAttributeNames(Map.of("#d", SyncEventItems.DEVICE_ID))
                .expressionAttributeValues(new HashMap<>(Map.of(":d", AttributeValue.fromS(deviceId))))
                .scanIndexForward(false)
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return page.items().stream().map(SyncEventItems::fromItem).toList();
    }

    private static void backoff(int round, boolean again) {
        if (!again) {
            return;
        }
        try {
            Thread.sleep(Math.min(1000, 25L << round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying unprocessed items", e);
        }
    }
}
