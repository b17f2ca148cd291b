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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchGetItem: up to 100 keys over several tables; each item costs its own read units. Keys beyond the
 * 16 MB answer limit come back in UnprocessedKeys, in the request's shape.
 */
public final class BatchGetItem implements Operation {

    static final int MAX_KEYS = 100;
    static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        JsonNode requestItems = Validation.object(r, "RequestItems");
        Validation v = Validation.start();
        v.notNull(requestItems, "requestItems");
        if (requestItems != null) {
            v.length(requestItems, "requestItems", 1, 100);
            for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                v.name(JsonNodeFactory.instance.textNode(e.getKey()), "requestItems.key", true);
                JsonNode keys = e.getValue().get("Keys");
                v.notNull(keys, "requestItems." + e.getKey() + ".member.keys");
                v.length(keys, "requestItems." + e.getKey() + ".member.keys", 1, 100);
            }
        }
        ItemRequests.checkCommon(r, v);
        v.check();
        int total = 0;
        Map<String, List<Map<String, Value>>> keysByTable = new LinkedHashMap<>();
        Map<String, ParsedExpressions> expressions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Map<String, Value>> keys = new ArrayList<>();
            for (JsonNode k : e.getValue().get("Keys")) {
                keys.add(ValueJson.item(k));
            }
            total += keys.size();
            keysByTable.put(e.getKey(), keys);
        }
        if (total > MAX_KEYS) {
            throw DynamoException.validation("Too many items requested for the BatchGetItem call");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            expressions.put(e.getKey(), engine.expressions().parse(e.getValue(), ExpressionKind.GET, null));
        }
        Consumption.Mode mode = Consumption.mode(r);
        return engine.read(() -> {
            Map<String, Table> tables = new LinkedHashMap<>();
            for (Map.Entry<String, List<Map<String, Value>>> e : keysByTable.entrySet()) {
                Table table = engine.catalog().require(e.getKey());
                tables.put(e.getKey(), table);
                Set<ByteBuffer> seen = new HashSet<>();
                for (Map<String, Value> key : e.getValue()) {
                    Keys.checkKey(table.definition(), key);
                    if (!seen.add(ByteBuffer.wrap(table.keyOf(key)))) {
                        throw DynamoException.validation("Provided list of item keys contains duplicates");
                    }
                }
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            ObjectNode responses = response.putObject("Responses");
            ObjectNode unprocessed = response.putObject("UnprocessedKeys");
            List<Consumption> consumed = new ArrayList<>();
            long bytes = 0;
            for (Map.Entry<String, List<Map<String, Value>>> e : keysByTable.entrySet()) {
                String name = e.getKey();
                Table table = tables.get(name);
                JsonNode tableRequest = requestItems.get(name);
                boolean consistent = tableRequest.path("ConsistentRead").asBoolean(false);
                ParsedExpressions ex = expressions.get(name);
                ArrayNode items = responses.putArray(name);
                ArrayNode left = null;
                Consumption c = new Consumption(name);
                for (Map<String, Value> key : e.getValue()) {
                    if (bytes >= MAX_RESPONSE_BYTES) {
                        if (left == null) {
                            ObjectNode copy = ((ObjectNode) tableRequest).deepCopy();
                            left = copy.putArray("Keys");
                            unprocessed.set(name, copy);
                        }
                        left.add(ValueJson.toJson(key));
                        continue;
                    }
                    Map<String, Value> item = table.get(table.keyOf(key));
                    long size = ItemSize.of(item);
                    c.tableRead(Consumption.readUnits(size, consistent));
                    if (item != null) {
                        bytes += size;
                        items.add(ValueJson.toJson(ex.projection() == null ? item : ex.projection().apply(item)));
                    }
                }
                consumed.add(c);
            }
            if (mode != Consumption.Mode.NONE) {
                ArrayNode list = response.putArray("ConsumedCapacity");
                consumed.forEach(c -> list.add(c.toJson(mode)));
            }
            return response;
        });
    }
}
