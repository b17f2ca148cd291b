package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.table.TableDefinition;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.LinkedHashMap;
import java.util.Map;

/** Request parts the item operations share: table name, items and keys, ReturnValues, response pieces. */
public final class ItemRequests {

    static final String[] RETURN_VALUES = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"};

    private ItemRequests() {
    }

    /** Checks TableName (with the other members' checks in {@code v}) and returns it. */
    static String tableName(JsonNode r, Validation v) {
        v.name(r.get("TableName"), "tableName", true);
        return r.has("TableName") && r.get("TableName").isTextual() ? r.get("TableName").textValue() : null;
    }

    static Map<String, Value> item(JsonNode r, String field) {
        return ValueJson.item(Validation.object(r, field));
    }

    /** ReturnValues after its enum check (NONE when absent); each operation then refuses what it does not support. */
    static String returnValues(JsonNode r, Validation v) {
        v.oneOf(r.get("ReturnValues"), "returnValues", RETURN_VALUES);
        String rv = Validation.text(r, "ReturnValues");
        return rv == null ? "NONE" : rv;
    }

    static void checkCommon(JsonNode r, Validation v) {
        v.oneOf(r.get("ReturnConsumedCapacity"), "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        v.oneOf(r.get("ReturnItemCollectionMetrics"), "returnItemCollectionMetrics", "SIZE", "NONE");
        v.oneOf(r.get("ReturnValuesOnConditionCheckFailure"), "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE");
    }

    static boolean returnOldOnFailure(JsonNode r) {
        return "ALL_OLD".equals(Validation.text(r, "ReturnValuesOnConditionCheckFailure"));
    }

    /** ConditionalCheckFailedException, carrying the item when the request asked for it. */
    /** A single write's ConditionExpression on the stored item (absent: an empty one); fails the write if false. */
    static void requireCondition(ParsedExpressions ex, boolean returnOld, Map<String, Value> old) {
        if (ex.condition() != null && !ex.condition().test(orEmpty(old))) {
            throw conditionFailed(returnOld, old);
        }
    }

    /** PutItem and DeleteItem return the old item or nothing. */
    static void requireAllOldOrNone(String returnValues) {
        if (!returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
            throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
    }

    static DynamoException conditionFailed(boolean returnOld, Map<String, Value> old) {
        if (returnOld && old != null) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("Item", ValueJson.toJson(old));
            return new DynamoException("ConditionalCheckFailedException", "The conditional request failed", extra);
        }
        return DynamoException.conditionalCheckFailed();
    }

    static void consumed(ObjectNode response, Consumption c, Consumption.Mode mode) {
        if (mode != Consumption.Mode.NONE) {
            response.set("ConsumedCapacity", c.toJson(mode));
        }
    }

    /** ItemCollectionMetrics (tables with local secondary indexes, when asked for SIZE). */
    static void itemCollectionMetrics(ObjectNode response, JsonNode r, Table table, Map<String, Value> item) {
        TableDefinition def = table.definition();
        if (!"SIZE".equals(Validation.text(r, "ReturnItemCollectionMetrics")) || def.localIndexes().isEmpty()
                || item == null) {
            return;
        }
        ObjectNode m = response.putObject("ItemCollectionMetrics");
        m.putObject("ItemCollectionKey").set(def.keys().partitionName(), ValueJson.toJson(item.get(def.keys().partitionName())));
        m.putArray("SizeEstimateRangeGB").add(0.0).add(1.0);
    }

    static Map<String, Value> orEmpty(Map<String, Value> item) {
        return item == null ? Map.of() : item;
    }
}
