package com.pisync.aws.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * One conditional UpdateItem, built attribute by attribute: a value is SET, a null REMOVEs the
 * attribute. Every name and value goes through a placeholder, so attribute names never clash with
 * DynamoDB's reserved words.
 */
final class ItemUpdate {

    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final Map<String, String> placeholders = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    /** The placeholder of an attribute name, for conditions. */
    String name(String attribute) {
        return placeholders.computeIfAbsent(attribute, a -> {
            String p = "#n" + names.size();
            names.put(p, a);
            return p;
        });
    }

    /** The placeholder of a value, for conditions. */
    String value(AttributeValue v) {
        String p = ":v" + values.size();
        values.put(p, v);
        return p;
    }

    ItemUpdate put(String attribute, AttributeValue valueOrNull) {
        if (valueOrNull == null) {
            removes.add(name(attribute));
        } else {
            sets.add(name(attribute) + " = " + value(valueOrNull));
        }
        return this;
    }

    ItemUpdate putAll(Map<String, AttributeValue> attributes) {
        attributes.forEach(this::put);
        return this;
    }

    ItemUpdate setIfAbsent(String attribute, AttributeValue v) {
        String n = name(attribute);
        sets.add(n + " = if_not_exists(" + n + ", " + value(v) + ")");
        return this;
    }

    ItemUpdate increment(String counter) {
        String n = name(counter);
        sets.add(n + " = if_not_exists(" + n + ", " + value(AttributeValue.fromN("0")) + ") + "
                + value(AttributeValue.fromN("1")));
        return this;
    }

    /** What a transactional apply did. */
    enum Outcome { APPLIED, CONDITION_FAILED, ALREADY_APPLIED }

    /**
     * The update and {@code audit} (a conditional put of a new audit entry) in one TransactWriteItems: both or
     * neither. {@code ALREADY_APPLIED} when the audit entry exists, i.e. this very request was applied before (a
     * retry): nothing is written again. The client request token (derived from the entry id) makes the SDK's own
     * retries of the call idempotent too.
     */
    Outcome applyAudited(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key, String condition,
            software.amazon.awssdk.services.dynamodb.model.TransactWriteItem audit, String auditId) {
        String expression = "SET " + String.join(", ", sets)
                + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        var update = software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                .update(u -> u.tableName(table).key(key).updateExpression(expression).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(values))
                .build();
        return transact(dynamo, List.of(update, audit), auditId);
    }

    /** Runs the items (the last one the audit put); see {@link #applyAudited}. */
    static Outcome transact(DynamoDbClient dynamo,
            List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> items, String auditId) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(items).clientRequestToken(auditId)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return Outcome.APPLIED;
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (reasons.size() == items.size()
                    && "ConditionalCheckFailed".equals(reasons.get(items.size() - 1).code())) {
                return Outcome.ALREADY_APPLIED;
            }
            for (var reason : reasons) {
                if ("ConditionalCheckFailed".equals(reason.code())) {
                    return Outcome.CONDITION_FAILED;
                }
            }
            throw e;
        } catch (software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException e) {
            // The same token with other content: the request was applied and the item has moved on since.
            return Outcome.ALREADY_APPLIED;
        }
    }

    /**
     * @return the item as written (when {@code returnItem}) or an empty map, or null when the
     *     condition failed
     */
    Map<String, AttributeValue> apply(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key,
            String condition, boolean returnItem) {
        String expression = "SET " + String.join(", ", sets)
                + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            return dynamo.updateItem(r -> r.tableName(table).key(key)
                    .updateExpression(expression)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(returnItem ? ReturnValue.ALL_NEW : ReturnValue.NONE)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).attributes();
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }
}
