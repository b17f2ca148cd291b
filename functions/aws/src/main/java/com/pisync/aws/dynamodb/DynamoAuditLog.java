package com.pisync.aws.dynamodb;

import com.pisync.aws.audit.AuditLog;
import com.pisync.domain.AuditEntry;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The audit table: appending entries (a conditional PutItem, never an update or a delete) and reading them
 * newest first, by actor, target or action, within a time range, each page O(page) from the matching index.
 */
public final class DynamoAuditLog implements AuditLog, com.pisync.aws.ports.AuditEntries {

    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAuditLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    @Override
    public boolean record(AuditEntry entry) {
        Map<String, AttributeValue> item = AuditItems.toItem(entry);
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", AuditItems.AUDIT_ID))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException alreadyWritten) {
            return false;
        }
    }

    @Override
    public boolean contains(String auditId) {
        return get(auditId) != null;
    }

    /** The entry with this id (strongly consistent), or null. */
    @Override
    public AuditEntry get(String auditId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(AuditItems.AUDIT_ID, AttributeValue.fromS(auditId))).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        return item == null || item.isEmpty() ? null : AuditItems.fromItem(item);
    }

    /** What a list asks for; every field optional. {@code from} inclusive, {@code to} exclusive. */
    public record Filter(String actor, String targetId, String action, java.time.Instant from, java.time.Instant to) {
    }

    /** A page of entries, newest first, and the position to continue after (null: no more). */
    public record Page(List<AuditEntry> entries, String nextAfter) {
    }

    /**
     * One page. The most selective filter picks the index (target, then actor, then action, else every entry);
     * the other filters are applied while reading, so a page may come back short with a position to continue.
     */
    public Page page(IndexPager pager, Filter f, String after, int limit) {
        IndexPager.Query q;
        java.util.Map<String, String> names = new java.util.HashMap<>();
        java.util.Map<String, AttributeValue> values = new java.util.HashMap<>();
        java.util.List<String> conditions = new java.util.ArrayList<>();
        if (f.targetId() != null) {
            q = IndexPager.query(table, AuditItems.BY_TARGET, AuditItems.TARGET_ID, List.of(f.targetId()),
                    AuditItems.AT_KEY, true);
            filter("fa", AuditItems.ACTOR, f.actor(), names, values, conditions);
            filter("fc", AuditItems.ACTION, f.action(), names, values, conditions);
        } else if (f.actor() != null) {
            q = IndexPager.query(table, AuditItems.BY_ACTOR, AuditItems.ACTOR, List.of(f.actor()), AuditItems.AT_KEY, true);
            filter("fc", AuditItems.ACTION, f.action(), names, values, conditions);
        } else if (f.action() != null) {
            q = IndexPager.query(table, AuditItems.BY_ACTION, AuditItems.ACTION_SHARD,
                    SHARDS.stream().map(s -> f.action() + "#" + s).toList(), AuditItems.AT_KEY, true);
        } else {
            q = IndexPager.query(table, AuditItems.ALL_ENTRIES, AuditItems.ALL_SHARD, SHARDS, AuditItems.AT_KEY, true);
        }
        if (!conditions.isEmpty()) {
            q = q.withFilter(String.join(" AND ", conditions), names, values);
        }
        // to is exclusive: "<ms of to>" sorts before every "<ms of to>#id"; from is inclusive.
        String lower = f.from() == null ? null : AuditItems.timeKey(f.from());
        String upper = f.to() == null ? null : AuditItems.timeKey(f.to());
        if (lower != null || upper != null) {
            q = IndexPager.range(q, lower, upper);
        }
        IndexPager.Result r = pager.page(q, after, limit);
        return new Page(r.items().stream().map(AuditItems::fromItem).toList(), r.nextAfter());
    }

    private static void filter(String placeholder, String attribute, String value, Map<String, String> names,
            Map<String, AttributeValue> values, List<String> conditions) {
        if (value != null) {
            names.put("#" + placeholder, attribute);
            values.put(":" + placeholder, AttributeValue.fromS(value));
            conditions.add("#" + placeholder + " = :" + placeholder);
        }
    }
}
