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

/** PutItem: replaces the whole item, if its condition holds. ReturnValues NONE or ALL_OLD. */
public final class PutItem implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation v = Validation.start();
        String name = ItemRequests.tableName(r, v);
        v.notNull(r.get("Item"), "item");
        String returnValues = ItemRequests.returnValues(r, v);
        ItemRequests.checkCommon(r, v);
        v.check();
        Map<String, Value> item = ItemRequests.item(r, "Item");
        ParsedExpressions ex = engine.expressions().parse(r, ExpressionKind.PUT, null);
        ItemRequests.requireAllOldOrNone(returnValues);
        Consumption.Mode mode = Consumption.mode(r);
        boolean returnOld = ItemRequests.returnOldOnFailure(r);
        return engine.write(() -> {
            Table table = engine.catalog().require(name);
            Keys.checkItem(table.definition(), item);
            byte[] key = table.keyOf(item);
            Map<String, Value> old = table.get(key);
            ItemRequests.requireCondition(ex, returnOld, old);
            Consumption c = new Consumption(name);
            c.tableWrite(Consumption.writeUnits(Math.max(ItemSize.of(old), ItemSize.of(item))));
            table.write(key, old, item, c, engine::nextSequence, engine.nowMillis(), false);
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            if (returnValues.equals("ALL_OLD") && old != null) {
                response.set("Attributes", ValueJson.toJson(old));
            }
            ItemRequests.consumed(response, c, mode);
            ItemRequests.itemCollectionMetrics(response, r, table, item);
            return response;
        });
    }
}
