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
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Query: one partition of the table or an index, in sort key order, between the bounds the key condition
 * sets, so a page costs what it reads whatever the table's size.
 */
public final class Query implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation v = Validation.start();
        String name = ItemRequests.tableName(r, v);
        v.name(r.get("IndexName"), "indexName", false);
        v.range(r.get("Limit"), "limit", 1, Integer.MAX_VALUE);
        v.oneOf(r.get("Select"), "select", "SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");
        ItemRequests.checkCommon(r, v);
        v.check();
        if (!r.has("KeyConditions") && !r.has("KeyConditionExpression")) {
            throw DynamoException.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        String indexName = Validation.text(r, "IndexName");
        Long limit = Validation.number(r, "Limit");
        boolean consistent = Boolean.TRUE.equals(Validation.bool(r, "ConsistentRead"));
        Boolean forwardParam = Validation.bool(r, "ScanIndexForward");
        boolean forward = forwardParam == null || forwardParam;
        Consumption.Mode mode = Consumption.mode(r);
        return engine.read(() -> {
            Table table = engine.catalog().require(name);
            ItemSource source = new ItemSource(table, indexName);
            ParsedExpressions ex = engine.expressions().parse(r, ExpressionKind.QUERY, source.keys());
            if (consistent && source.isIndex() && source.index.global()) {
                throw DynamoException.validation("Consistent reads are not supported on global secondary indexes");
            }
            String select = ReadPage.select(r, source);
            KeyRange range = ex.keyCondition();
            KeySchema keys = source.keys();
            checkKeyType(keys.partitionName(), keys.partitionType(), range.partition());
            if (range.hasSortCondition()) {
                checkKeyType(keys.sortName(), keys.sortType(), range.low());
            }
            byte[] partition = KeyCodec.encode(range.partition());
            byte[] lower = partition;
            byte[] upper = KeyCodec.successor(partition);
            Predicate<Map<String, Value>> accept = null;
            if (range.hasSortCondition()) {
                byte[][] bounds = sortBounds(partition, range);
                lower = bounds[0];
                upper = bounds[1];
                String sortName = keys.sortName();
                accept = item -> range.sortTest().test(item.get(sortName));
            }
            byte[] start = source.startPosition(r);
            Iterator<Map.Entry<byte[], byte[]>> entries = source.range(lower, upper, start, forward);
            return ReadPage.read(source, entries, limit == null ? null : limit.intValue(), accept, ex, select,
                    consistent, mode, name);
        });
    }

    private static void checkKeyType(String name, String type, Value value) {
        if (value != null && !value.type().equals(type)) {
            throw DynamoException.validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    /** Tight byte bounds [lower, upper) of the entries a sort key condition can match. */
    static byte[][] sortBounds(byte[] partition, KeyRange range) {
        byte[] all = KeyCodec.successor(partition);
        switch (range.operator()) {
            case "EQ": {
                byte[] at = KeyCodec.concat(partition, KeyCodec.encode(range.low()));
                return new byte[][] {at, KeyCodec.successor(at)};
            }
            case "LT":
            case "LE":
                return new byte[][] {partition, KeyCodec.successor(KeyCodec.concat(partition, KeyCodec.encode(range.low())))};
            case "GT":
            case "GE":
                return new byte[][] {KeyCodec.concat(partition, KeyCodec.encode(range.low())), all};
            case "BETWEEN":
                return new byte[][] {KeyCodec.concat(partition, KeyCodec.encode(range.low())),
                        KeyCodec.successor(KeyCodec.concat(partition, KeyCodec.encode(range.high())))};
            case "BEGINS_WITH": {
                if (range.low() instanceof Value.N) {
                    return new byte[][] {partition, all};
                }
                byte[] prefix = KeyCodec.concat(partition, KeyCodec.prefixOf(range.low()));
                return new byte[][] {prefix, KeyCodec.successor(prefix)};
            }
            default:
                throw new IllegalArgumentException(range.operator());
        }
    }
}
