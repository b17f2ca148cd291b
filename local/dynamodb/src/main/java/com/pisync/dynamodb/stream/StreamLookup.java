package com.pisync.dynamodb.stream;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.table.StreamInfo;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.table.TableDefinition;

/** Finds a table's stream from its ARN ({@code <table arn>/stream/<label>}). */
final class StreamLookup {

    record Found(Table table, StreamInfo stream) {
    }

    private StreamLookup() {
    }

    static Found find(Engine engine, String arn) {
        String prefix = TableDefinition.ARN_PREFIX;
        int marker = arn == null ? -1 : arn.indexOf("/stream/");
        if (arn != null && arn.startsWith(prefix) && marker > prefix.length()) {
            String tableName = arn.substring(prefix.length(), marker);
            String label = arn.substring(marker + "/stream/".length());
            Table table = engine.catalog().get(tableName);
            if (table != null) {
                for (StreamInfo s : table.definition().streams()) {
                    if (s.label().equals(label)) {
                        return new Found(table, s);
                    }
                }
            }
        }
        throw DynamoException.resourceNotFound("Requested resource not found: Stream: " + arn + " not found");
    }
}
