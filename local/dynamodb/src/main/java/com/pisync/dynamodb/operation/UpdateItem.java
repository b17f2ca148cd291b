package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.capacity.ItemSize;
import com.pisync.dynamodb.table.KeySchema;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.table.TableDefinition;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.LinkedHashMap;
import java.util.Map;

/** UpdateItem: changes (or creates) one item by an update expression, if its condition holds. */
public final class UpdateItem implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation v = Validation.start();
        String name = ItemRequests.tableName(r, v);
        v.notNull(r.get("Key"), "key");
        String returnValues = ItemRequests.returnValues(r, v);
        ItemRequests.checkCommon(r, v);
        v.check();
        Map<String, Value> key = ItemRequests.item(r, "Key");
        ParsedExpressions ex = engine.expressions().parse(r, ExpressionKind.UPDATE, null);
        Consumption.Mode mode = Consumption.mode(r);
        boolean returnOld = ItemRequests.returnOldOnFailure(r);
        return engine.write(() -> {
            Table table = engine.catalog().require(name);
            TableDefinition def = table.definition();
            Keys.checkKey(def, key);
            checkNoKeyUpdate(def.keys(), ex.update());
            byte[] storeKey = table.keyOf(key);
            Map<String, Value> old = table.get(storeKey);
            ItemRequests.requireCondition(ex, returnOld, old);
            Map<String, Value> updated = updated(table, key, old, ex.update());
            Consumption c = new Consumption(name);
            c.tableWrite(Consumption.writeUnits(Math.max(ItemSize.of(old), ItemSize.of(updated))));
            // An update that only removes (REMOVE, DELETE) from a missing item creates nothing, as in DynamoDB.
            boolean createsNothing = old == null && ex.update() != null && updated.keySet().equals(key.keySet());
            if (createsNothing) {
                updated = null;
            } else {
                table.write(storeKey, old, updated, c, engine::nextSequence, engine.nowMillis(), false);
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            Map<String, Value> attributes = returned(returnValues, old, updated, ex.update());
            if (attributes != null && !attributes.isEmpty()) {
                response.set("Attributes", ValueJson.toJson(attributes));
            }
            ItemRequests.consumed(response, c, mode);
            ItemRequests.itemCollectionMetrics(response, r, table, updated == null ? key : updated);
            return response;
        });
    }

    static void checkNoKeyUpdate(KeySchema keys, ItemUpdate update) {
        if (update == null) {
            return;
        }
        for (String a : update.topLevelAttributes()) {
            if (keys.isKeyAttribute(a)) {
                throw DynamoException.validation("One or more parameter values were invalid: Cannot update attribute " + a
                        + ". This attribute is part of the key");
            }
        }
    }

    /** The item after the update: applied to the stored item, or to the key alone when there is none. */
    static Map<String, Value> updated(Table table, Map<String, Value> key, Map<String, Value> old, ItemUpdate update) {
        Map<String, Value> base = old != null ? old : key;
        Map<String, Value> result = update == null ? new LinkedHashMap<>(base) : update.apply(base);
        if (ItemSize.of(result) > ItemSize.MAX_ITEM_BYTES) {
            throw DynamoException.validation("Item size to update has exceeded the maximum allowed size");
        }
        try {
            Keys.checkIndexKeys(table.definition(), result);
        } catch (DynamoException e) {
            String m = e.getMessage();
            String marker = "A value specified for a secondary index key is not supported.";
            if (m.contains(marker)) {
                throw DynamoException.validation(m.replace(marker,
                        "The update expression attempted to update a secondary index key to a value that is not supported."));
            }
            throw e;
        }
        return result;
    }

    static Map<String, Value> returned(String returnValues, Map<String, Value> old, Map<String, Value> updated,
            ItemUpdate update) {
        switch (returnValues) {
            case "ALL_OLD":
                return old;
            case "ALL_NEW":
                return updated;
            case "UPDATED_OLD":
                return old == null || update == null ? null : update.updatedPart(old);
            case "UPDATED_NEW":
                return update == null || updated == null ? null : update.updatedPart(updated);
            default:
                return null;
        }
    }
}
