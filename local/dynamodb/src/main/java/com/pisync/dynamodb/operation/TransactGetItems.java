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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** TransactGetItems: up to 100 items read at one instant (no write in between), twice the consistent read cost. */
public final class TransactGetItems implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        JsonNode items = Validation.array(r, "TransactItems");
        Validation v = Validation.start();
        v.notNull(items, "transactItems");
        v.length(items, "transactItems", 1, 100);
        v.oneOf(r.get("ReturnConsumedCapacity"), "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        List<JsonNode> gets = new ArrayList<>();
        if (items != null) {
            int n = 1;
            for (JsonNode entry : items) {
                JsonNode get = entry.get("Get");
                v.notNull(get, "transactItems." + n + ".member.get");
                if (get != null && !get.isNull()) {
                    v.name(get.get("TableName"), "transactItems." + n + ".member.get.tableName", true);
                    v.notNull(get.get("Key"), "transactItems." + n + ".member.get.key");
                    gets.add(get);
                }
                n++;
            }
        }
        v.check();
        List<Map<String, Value>> keys = new ArrayList<>();
        List<ParsedExpressions> expressions = new ArrayList<>();
        for (JsonNode get : gets) {
            keys.add(ItemRequests.item(get, "Key"));
            expressions.add(engine.expressions().parse(get, ExpressionKind.GET, null));
        }
        Consumption.Mode mode = Consumption.mode(r);
        return engine.read(() -> {
            List<Table> tables = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < gets.size(); i++) {
                Table table = engine.catalog().require(gets.get(i).get("TableName").asText());
                Keys.checkKey(table.definition(), keys.get(i));
                String id = table.definition().tableId() + "/"
                        + java.util.Base64.getEncoder().encodeToString(table.keyOf(keys.get(i)));
                if (!seen.add(id)) {
                    throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
                }
                tables.add(table);
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            ArrayNode responses = response.putArray("Responses");
            Map<String, Consumption> consumed = new LinkedHashMap<>();
            for (int i = 0; i < gets.size(); i++) {
                Table table = tables.get(i);
                Map<String, Value> item = table.get(table.keyOf(keys.get(i)));
                ObjectNode one = responses.addObject();
                if (item != null) {
                    ParsedExpressions ex = expressions.get(i);
                    one.set("Item", ValueJson.toJson(ex.projection() == null ? item : ex.projection().apply(item)));
                }
                String name = table.definition().name();
                consumed.computeIfAbsent(name, Consumption::new).tableRead(2 * Consumption.readUnits(ItemSize.of(item), true));
            }
            if (mode != Consumption.Mode.NONE) {
                ArrayNode list = response.putArray("ConsumedCapacity");
                consumed.values().forEach(c -> list.add(c.toJson(mode)));
            }
            return response;
        });
    }
}
