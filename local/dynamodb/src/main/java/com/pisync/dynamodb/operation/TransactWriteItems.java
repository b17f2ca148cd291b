package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.capacity.ItemSize;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TransactWriteItems: up to 100 checks, puts, updates and deletes on distinct items, all or nothing. Every
 * condition is evaluated first; if one fails, TransactionCanceledException lists a reason per action in
 * order ("None" for those that passed). Only the touched items are read: cost does not grow with tables.
 * A ClientRequestToken makes a retry within 10 minutes answer without writing again.
 */
public final class TransactWriteItems implements Operation {

    static final int MAX_ACTIONS = 100;
    private static final String[] ACTIONS = {"ConditionCheck", "Put", "Delete", "Update"};

    private static final class Action {
        String type;
        JsonNode node;
        String tableName;
        Map<String, Value> key;
        Map<String, Value> item;
        ParsedExpressions ex;
        Table table;
        byte[] storeKey;
        Map<String, Value> old;
        Map<String, Value> result;
    }

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        JsonNode items = Validation.array(r, "TransactItems");
        Validation v = Validation.start();
        v.notNull(items, "transactItems");
        if (items != null && items.size() > MAX_ACTIONS) {
            throw DynamoException.validation("1 validation error detected at 'transactItems' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 100.");
        }
        v.length(items, "transactItems", 1, MAX_ACTIONS);
        v.length(r.get("ClientRequestToken"), "clientRequestToken", 1, 36);
        ItemRequests.checkCommon(r, v);
        List<Action> actions = new ArrayList<>();
        if (items != null) {
            int n = 1;
            for (JsonNode entry : items) {
                Action a = new Action();
                int count = 0;
                for (String type : ACTIONS) {
                    JsonNode node = entry.get(type);
                    if (node != null && !node.isNull()) {
                        a.type = type;
                        a.node = node;
                        count++;
                    }
                }
                if (count != 1) {
                    throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
                }
                String m = "transactItems." + n + ".member." + Character.toLowerCase(a.type.charAt(0)) + a.type.substring(1);
                v.name(a.node.get("TableName"), m + ".tableName", true);
                if (a.type.equals("Put")) {
                    v.notNull(a.node.get("Item"), m + ".item");
                } else {
                    v.notNull(a.node.get("Key"), m + ".key");
                }
                if (a.type.equals("ConditionCheck")) {
                    v.notNull(a.node.get("ConditionExpression"), m + ".conditionExpression");
                }
                if (a.type.equals("Update")) {
                    v.notNull(a.node.get("UpdateExpression"), m + ".updateExpression");
                }
                v.oneOf(a.node.get("ReturnValuesOnConditionCheckFailure"), m + ".returnValuesOnConditionCheckFailure",
                        "ALL_OLD", "NONE");
                actions.add(a);
                n++;
            }
        }
        v.check();
        for (Action a : actions) {
            a.tableName = a.node.get("TableName").asText();
            if (a.type.equals("Put")) {
                a.item = ItemRequests.item(a.node, "Item");
            } else {
                a.key = ItemRequests.item(a.node, "Key");
            }
            ExpressionKind kind = switch (a.type) {
                case "Put" -> ExpressionKind.PUT;
                case "Delete" -> ExpressionKind.DELETE;
                case "Update" -> ExpressionKind.UPDATE;
                default -> ExpressionKind.CONDITION_CHECK;
            };
            a.ex = engine.expressions().parse(a.node, kind, null);
        }
        Consumption.Mode mode = Consumption.mode(r);
        String token = Validation.text(r, "ClientRequestToken");
        String fingerprint = token == null ? null : fingerprint(r);
        return engine.write(() -> {
            long now = engine.nowMillis();
            if (token != null) {
                ObjectNode earlier = engine.idempotency().replay(token, fingerprint, now);
                if (earlier != null) {
                    return earlier;
                }
            }
            ObjectNode response = run(engine, actions, mode, now);
            if (token != null) {
                engine.idempotency().remember(token, fingerprint, response, now);
            }
            return response;
        });
    }

    private static ObjectNode run(Engine engine, List<Action> actions, Consumption.Mode mode, long now) {
        Set<String> seen = new HashSet<>();
        for (Action a : actions) {
            a.table = engine.catalog().require(a.tableName);
            if (a.item != null) {
                Keys.checkItem(a.table.definition(), a.item);
                a.storeKey = a.table.keyOf(a.item);
            } else {
                Keys.checkKey(a.table.definition(), a.key);
                a.storeKey = a.table.keyOf(a.key);
            }
            if (a.type.equals("Update")) {
                UpdateItem.checkNoKeyUpdate(a.table.definition().keys(), a.ex.update());
            }
            String id = a.table.definition().tableId() + "/" + ByteBuffer.wrap(a.storeKey).hashCode() + "/"
                    + java.util.Base64.getEncoder().encodeToString(a.storeKey);
            if (!seen.add(id)) {
                throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
            }
        }
        List<ObjectNode> reasons = new ArrayList<>();
        boolean failed = false;
        for (Action a : actions) {
            a.old = a.table.get(a.storeKey);
            ObjectNode reason = JsonNodeFactory.instance.objectNode();
            try {
                if (a.ex.condition() != null && !a.ex.condition().test(ItemRequests.orEmpty(a.old))) {
                    reason.put("Code", "ConditionalCheckFailed");
                    reason.put("Message", "The conditional request failed");
                    if ("ALL_OLD".equals(Validation.text(a.node, "ReturnValuesOnConditionCheckFailure")) && a.old != null) {
                        reason.set("Item", ValueJson.toJson(a.old));
                    }
                    failed = true;
                } else {
                    switch (a.type) {
                        case "Put":
                            a.result = a.item;
                            break;
                        case "Update":
                            a.result = UpdateItem.updated(a.table, a.key, a.old, a.ex.update());
                            break;
                        case "Delete":
                            a.result = null;
                            break;
                        default:
                            a.result = a.old;
                    }
                    reason.put("Code", "None");
                }
            } catch (DynamoException e) {
                if (!e.type().equals("ValidationException")) {
                    throw e;
                }
                reason.removeAll();
                reason.put("Code", "ValidationError");
                reason.put("Message", e.getMessage());
                failed = true;
            }
            reasons.add(reason);
        }
        if (failed) {
            List<String> codes = new ArrayList<>();
            reasons.forEach(x -> codes.add(x.get("Code").asText()));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("CancellationReasons", reasons);
            throw new DynamoException("TransactionCanceledException",
                    "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes, extra);
        }
        Map<String, Consumption> consumed = new LinkedHashMap<>();
        for (Action a : actions) {
            Consumption c = consumed.computeIfAbsent(a.tableName, Consumption::new);
            Consumption one = new Consumption(a.tableName);
            if (a.type.equals("ConditionCheck")) {
                one.tableRead(Consumption.readUnits(ItemSize.of(a.old), true));
            } else {
                one.tableWrite(Consumption.writeUnits(Math.max(ItemSize.of(a.old), ItemSize.of(a.result))));
                a.table.write(a.storeKey, a.old, a.result, one, engine::nextSequence, now, false);
            }
            one.scale(2);
            c.add(one);
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (mode != Consumption.Mode.NONE) {
            ArrayNode list = response.putArray("ConsumedCapacity");
            consumed.values().forEach(c -> list.add(c.toJson(mode)));
        }
        return response;
    }

    private static String fingerprint(JsonNode r) {
        ObjectNode copy = ((ObjectNode) r).deepCopy();
        copy.remove("ClientRequestToken");
        copy.remove("ReturnConsumedCapacity");
        return copy.toString();
    }
}
