package com.pisync.dynamodb.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;

/** DeleteTable: the table, its indexes and streams go at once; the answer describes it as DELETING. */
public final class DeleteTable implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode request) {
        Validation.start().name(request.get("TableName"), "tableName", true).check();
        String name = Validation.text(request, "TableName");
        return engine.writeStructural(() -> {
            Table table = engine.catalog().requireNamed(name);
            if (table.definition().deletionProtection()) {
                throw DynamoException.validation("Resource cannot be deleted as it is currently protected against deletion. "
                        + "Disable deletion protection first.");
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            ObjectNode description = TableDescriptions.describe(table, "DELETING");
            response.set("TableDescription", description);
            engine.catalog().delete(table);
            return response;
        });
    }
}
