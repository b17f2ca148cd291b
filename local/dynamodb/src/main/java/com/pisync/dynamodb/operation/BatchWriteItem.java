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
 * BatchWriteItem: up to 25 puts and deletes over several tables, all checked before any is written, then
 * written in one commit. Nothing is throttled locally, so UnprocessedItems is always empty.
 */
public final class BatchWriteItem implements Operation {

    static final int MAX_REQUESTS = 25;

    private record Write(Table table, byte[] key, Map<String, Value> item /* null = delete */) {
    }

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        JsonNode requestItems = Validation.object(r, "RequestItems");
        Validation v = Validation.start();
        v.notNull(requestItems, "requestItems");
        if (requestItems != null) {
            v.length(requestItems, "requestItems", 1, Integer.MAX_VALUE);
        }
        ItemRequests.checkCommon(r, v);
        v.check();
        Map<String, List<JsonNode>> byTable = new LinkedHashMap<>();
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new DynamoException("SerializationException", "Start of list found where not expected");
            }
            List<JsonNode> list = new ArrayList<>();
            e.getValue().forEach(list::add);
            total += list.size();
            byTable.put(e.getKey(), list);
        }
        Validation names = Validation.start();
        for (Map.Entry<String, List<JsonNode>> e : byTable.entrySet()) {
            names.name(JsonNodeFactory.instance.textNode(e.getKey()), "requestItems.key", true);
            if (e.getValue().isEmpty() || e.getValue().size() > MAX_REQUESTS) {
                names.addRaw("'" + e.getValue() + "'", "requestItems." + e.getKey() + ".member",
                        "Member must have length less than or equal to 25, Member must have length greater than or equal to 1");
            }
        }
        names.check();
        if (total > MAX_REQUESTS) {
            throw DynamoException.validation("Too many items requested for the BatchWriteItem call");
        }
        Map<String, List<Map<String, Value>>> puts = new LinkedHashMap<>();
        Map<String, List<Map<String, Value>>> deletes = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonNode>> e : byTable.entrySet()) {
            for (JsonNode request : e.getValue()) {
                JsonNode put = request.get("PutRequest");
                JsonNode delete = request.get("DeleteRequest");
                boolean hasPut = put != null && !put.isNull();
                boolean hasDelete = delete != null && !delete.isNull();
                if (hasPut == hasDelete) {
                    throw DynamoException.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
                if (hasPut) {
                    JsonNode item = put.get("Item");
                    if (item == null || item.isNull()) {
                        throw DynamoException.validation("1 validation error detected: Value null at 'requestItems." + e.getKey()
                                + ".member.putRequest.item' failed to satisfy constraint: Member must not be null");
                    }
                    puts.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ValueJson.item(item));
                } else {
                    JsonNode key = delete.get("Key");
                    if (key == null || key.isNull()) {
                        throw DynamoException.validation("1 validation error detected: Value null at 'requestItems." + e.getKey()
                                + ".member.deleteRequest.key' failed to satisfy constraint: Member must not be null");
                    }
                    deletes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ValueJson.item(key));
                }
            }
        }
        Consumption.Mode mode = Consumption.mode(r);
        return engine.write(() -> {
            List<Write> writes = new ArrayList<>();
            for (String name : byTable.keySet()) {
                Table table = engine.catalog().require(name);
                Set<ByteBuffer> seen = new HashSet<>();
                for (Map<String, Value> item : puts.getOrDefault(name, List.of())) {
                    Keys.checkItem(table.definition(), item);
                    byte[] key = table.keyOf(item);
                    if (!seen.add(ByteBuffer.wrap(key))) {
                        throw DynamoException.validation("Provided list of item keys contains duplicates");
                    }
                    writes.add(new Write(table, key, item));
                }
                for (Map<String, Value> k : deletes.getOrDefault(name, List.of())) {
                    Keys.checkKey(table.definition(), k);
                    byte[] key = table.keyOf(k);
                    if (!seen.add(ByteBuffer.wrap(key))) {
                        throw DynamoException.validation("Provided list of item keys contains duplicates");
                    }
                    writes.add(new Write(table, key, null));
                }
            }
            Map<String, Consumption> consumed = new LinkedHashMap<>();
            long now = engine.nowMillis();
            for (Write w : writes) {
                String name = w.table.definition().name();
                Consumption c = consumed.computeIfAbsent(name, Consumption::new);
                Map<String, Value> old = w.table.get(w.key);
                c.tableWrite(Consumption.writeUnits(Math.max(ItemSize.of(old), ItemSize.of(w.item))));
                w.table.write(w.key, old, w.item, c, engine::nextSequence, now, false);
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.putObject("UnprocessedItems");
            if (mode != Consumption.Mode.NONE) {
                ArrayNode list = response.putArray("ConsumedCapacity");
                consumed.values().forEach(c -> list.add(c.toJson(mode)));
            }
            return response;
        });
    }
}
