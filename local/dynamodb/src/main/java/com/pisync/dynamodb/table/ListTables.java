package com.pisync.dynamodb.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import java.util.List;

/** ListTables: names in order, after ExclusiveStartTableName, at most Limit (1..100), with LastEvaluatedTableName. */
public final class ListTables implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode request) {
        String start = Validation.text(request, "ExclusiveStartTableName");
        Long limitValue = Validation.number(request, "Limit");
        Validation.start()
                .name(request.get("ExclusiveStartTableName"), "exclusiveStartTableName", false)
                .range(request.get("Limit"), "limit", 1, 100)
                .check();
        int limit = limitValue == null ? 100 : limitValue.intValue();
        List<String> names = engine.read(() -> engine.catalog().names());
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode out = response.putArray("TableNames");
        String last = null;
        int count = 0;
        for (String name : names) {
            if (start != null && name.compareTo(start) <= 0) {
                continue;
            }
            if (count == limit) {
                break;
            }
            out.add(name);
            last = name;
            count++;
        }
        // Named only when more tables follow the page.
        if (count == limit && last != null && names.indexOf(last) < names.size() - 1) {
            response.put("LastEvaluatedTableName", last);
        }
        return response;
    }
}
