package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.storage.KeyCodec;
import com.pisync.dynamodb.table.KeySchema;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.value.Value;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Predicate;

/** Scan: the whole table or index in key order; parallel segments split items by partition key hash. */
public final class Scan implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation v = Validation.start();
        String name = ItemRequests.tableName(r, v);
        v.name(r.get("IndexName"), "indexName", false);
        v.range(r.get("Limit"), "limit", 1, Integer.MAX_VALUE);
        v.oneOf(r.get("Select"), "select", "SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");
        v.range(r.get("Segment"), "segment", 0, 999999);
        v.range(r.get("TotalSegments"), "totalSegments", 1, 1000000);
        ItemRequests.checkCommon(r, v);
        v.check();
        Long segment = Validation.number(r, "Segment");
        Long total = Validation.number(r, "TotalSegments");
        if (segment != null && total == null) {
            throw DynamoException.validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        if (total != null && segment == null) {
            throw DynamoException.validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        }
        if (segment != null && segment >= total) {
            throw DynamoException.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                    + segment + " is not less than TotalSegments: " + total);
        }
        String indexName = Validation.text(r, "IndexName");
        Long limit = Validation.number(r, "Limit");
        boolean consistent = Boolean.TRUE.equals(Validation.bool(r, "ConsistentRead"));
        Consumption.Mode mode = Consumption.mode(r);
        ParsedExpressions ex = engine.expressions().parse(r, ExpressionKind.SCAN, null);
        return engine.read(() -> {
            Table table = engine.catalog().require(name);
            ItemSource source = new ItemSource(table, indexName);
            if (consistent && source.isIndex() && source.index.global()) {
                throw DynamoException.validation("Consistent reads are not supported on global secondary indexes");
            }
            String select = ReadPage.select(r, source);
            Predicate<Map<String, Value>> accept = null;
            if (total != null && total > 1) {
                KeySchema keys = source.keys();
                int seg = segment.intValue();
                int segments = total.intValue();
                accept = item -> segmentOf(item.get(keys.partitionName()), segments) == seg;
            }
            byte[] start = source.startPosition(r);
            return ReadPage.read(source, source.range(null, null, start, true), limit == null ? null : limit.intValue(),
                    accept, ex, select, consistent, mode, name);
        });
    }

    static int segmentOf(Value partition, int segments) {
        return Math.floorMod(Arrays.hashCode(KeyCodec.encode(partition)), segments);
    }
}
