package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * E-mail subscriptions to the alerts topic (contract v1.1), as {@code POST /v1/subscriptions} made them: SNS
 * keeps the subscription itself, but lists an e-mail address still pending confirmation without its ARN, so the
 * address, its filter and the ARN are kept here. In the incidents table (the notifications' table), one
 * partition: {@code pk = "subscriptions"}, {@code sk = <subscription_id>}; a few dozen items, listed in id order.
 * The functions that write them are allowed that partition only (IAM condition {@code dynamodb:LeadingKeys}).
 */
public final class SubscriptionStore {

    public static final String PARTITION = "subscriptions";
    static final String ARN = "subscription_arn";
    static final String EMAIL = "email";
    static final String SITES = "sites";
    static final String TYPES = "types";
    static final String CREATED_AT = "created_at";

    /** One subscription; {@code sites}/{@code types} null: every site / every type. */
    public record Subscription(String id, String arn, String email, List<String> sites, List<String> types,
            Instant createdAt) {
    }

    public record Page(List<Subscription> items, String nextAfter) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public SubscriptionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Creates or (the same address and filter subscribed again) rewrites it: idempotent. */
    public void put(Subscription sub) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(IncidentStore.PK, s(PARTITION));
        item.put(IncidentStore.SK, s(sub.id()));
        item.put(ARN, s(sub.arn()));
        item.put(EMAIL, s(sub.email()));
        if (sub.sites() != null) {
            item.put(SITES, AttributeValue.fromL(sub.sites().stream().map(AttributeValue::fromS).toList()));
        }
        if (sub.types() != null) {
            item.put(TYPES, AttributeValue.fromL(sub.types().stream().map(AttributeValue::fromS).toList()));
        }
        item.put(CREATED_AT, s(sub.createdAt().toString()));
        dynamo.putItem(r -> r.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    public Subscription get(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        return item == null || item.isEmpty() ? null : fromItem(item);
    }

    public void delete(String id) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(id)).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /** Subscriptions in id order after {@code after} (null: from the first), at most {@code limit}. */
    public Page page(String after, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(PARTITION));
        String condition = "#pk = :pk";
        if (after != null) {
            condition += " AND #sk > :after";
            values.put(":after", s(after));
        }
        String keyCondition = condition;
        Map<String, String> names = after == null ? Map.of("#pk", IncidentStore.PK)
                : Map.of("#pk", IncidentStore.PK, "#sk", IncidentStore.SK);
        QueryResponse page = dynamo.query(q -> q.tableName(table).keyConditionExpression(keyCondition)
                .expressionAttributeNames(names).expressionAttributeValues(values).limit(limit).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        List<Subscription> items = new ArrayList<>();
        page.items().forEach(i -> items.add(fromItem(i)));
        boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() && !items.isEmpty();
        return new Page(items, more ? items.get(items.size() - 1).id() : null);
    }

    private static Subscription fromItem(Map<String, AttributeValue> item) {
        return new Subscription(string(item, IncidentStore.SK), string(item, ARN), string(item, EMAIL),
                list(item, SITES), list(item, TYPES), instant(item, CREATED_AT));
    }

    private static List<String> list(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? null : v.l().stream().map(AttributeValue::s).toList();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(IncidentStore.PK, s(PARTITION), IncidentStore.SK, s(id));
    }
}
