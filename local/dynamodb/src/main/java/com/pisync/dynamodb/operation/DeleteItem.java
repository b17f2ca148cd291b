package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.capacity.ItemSize;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.Map;

/** DeleteItem: removes the item if its condition holds; costs by the deleted item's size. */
public final class DeleteItem implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation v = Validation.start();
        String name = ItemRequests.tableName(r, v);
        v.notNull(r.get("Key"), "key");
        String returnValues = ItemRequests.returnValues(r, v);
        ItemRequests.checkCommon(r, v);
        v.check();
        Map<String, Value> key = ItemRequests.item(r, "Key");
        ParsedExpressions ex = engine.expressions().parse(r, ExpressionKind.DELETE, null);
        ItemRequests.requireAllOldOrNone(returnValues);
        Consumption.Mode mode = Consumption.mode(r);
        boolean returnOld = ItemRequests.returnOldOnFailure(r);
        return engine.write(() -> {
            Table table = engine.catalog().require(name);
            Keys.checkKey(table.definition(), key);
            byte[] storeKey = table.keyOf(key);
            Map<String, Value> old = table.get(storeKey);
            ItemRequests.requireCondition(ex, returnOld, old);
            Consumption c = new Consumption(name);
            c.tableWrite(Consumption.writeUnits(ItemSize.of(old)));
            table.write(storeKey, old, null, c, engine::nextSequence, engine.nowMillis(), false);
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            if (returnValues.equals("ALL_OLD") && old != null) {
                response.set("Attributes", ValueJson.toJson(old));
            }
            ItemRequests.consumed(response, c, mode);
            ItemRequests.itemCollectionMetrics(response, r, table, old != null ? old : key);
            return response;
        });
    }
}
