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

/** GetItem: one item by its full key, projected; reads cost by the whole item's size. */
public final class GetItem implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation v = Validation.start();
        String name = ItemRequests.tableName(r, v);
        v.notNull(r.get("Key"), "key");
        ItemRequests.checkCommon(r, v);
        v.check();
        Map<String, Value> key = ItemRequests.item(r, "Key");
        boolean consistent = Boolean.TRUE.equals(Validation.bool(r, "ConsistentRead"));
        ParsedExpressions ex = engine.expressions().parse(r, ExpressionKind.GET, null);
        Consumption.Mode mode = Consumption.mode(r);
        return engine.read(() -> {
            Table table = engine.catalog().require(name);
            Keys.checkKey(table.definition(), key);
            Map<String, Value> item = table.get(table.keyOf(key));
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            if (item != null) {
                response.set("Item", ValueJson.toJson(ex.projection() == null ? item : ex.projection().apply(item)));
            }
            if (mode != Consumption.Mode.NONE) {
                Consumption c = new Consumption(name);
                c.tableRead(Consumption.readUnits(ItemSize.of(item), consistent));
                ItemRequests.consumed(response, c, mode);
            }
            return response;
        });
    }
}
