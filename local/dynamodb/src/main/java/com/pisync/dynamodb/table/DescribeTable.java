package com.pisync.dynamodb.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;

/** DescribeTable: the full TableDescription, counts and sizes as of now. */
public final class DescribeTable implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode request) {
        Validation.start().name(request.get("TableName"), "tableName", true).check();
        String name = Validation.text(request, "TableName");
        return engine.read(() -> {
            Table table = engine.catalog().requireNamed(name);
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.set("Table", TableDescriptions.describe(table, "ACTIVE"));
            return response;
        });
    }
}
