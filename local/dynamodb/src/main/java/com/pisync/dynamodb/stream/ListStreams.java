package com.pisync.dynamodb.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.table.StreamInfo;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/** ListStreams: the streams of all tables (or one), enabled or not yet aged out, paged by ARN. */
public final class ListStreams implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation.start()
                .name(r.get("TableName"), "tableName", false)
                .range(r.get("Limit"), "limit", 1, 100)
                .check();
        String tableName = Validation.text(r, "TableName");
        Long limitValue = Validation.number(r, "Limit");
        String start = Validation.text(r, "ExclusiveStartStreamArn");
        int limit = limitValue == null ? 100 : limitValue.intValue();
        long now = engine.nowMillis();
        List<String[]> streams = engine.read(() -> {
            List<String[]> all = new ArrayList<>();
            List<Table> tables = new ArrayList<>();
            if (tableName != null) {
                tables.add(engine.catalog().requireNamed(tableName));
            } else {
                tables.addAll(engine.catalog().tables());
            }
            for (Table t : tables) {
                TableDefinition def = t.definition();
                for (StreamInfo s : def.streams()) {
                    if (s.enabled() || s.disabledMillis() + StreamLog.RETENTION_MILLIS > now) {
                        all.add(new String[] {def.streamArn(s), def.name(), s.label()});
                    }
                }
            }
            return all;
        });
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode out = response.putArray("Streams");
        boolean started = start == null;
        int count = 0;
        String last = null;
        for (String[] s : streams) {
            if (!started) {
                started = s[0].equals(start);
                continue;
            }
            if (count == limit) {
                response.put("LastEvaluatedStreamArn", last);
                break;
            }
            out.addObject().put("StreamArn", s[0]).put("TableName", s[1]).put("StreamLabel", s[2]);
            last = s[0];
            count++;
        }
        return response;
    }
}
