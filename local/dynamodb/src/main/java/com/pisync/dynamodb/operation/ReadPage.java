package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.capacity.ItemSize;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One page of a Query or Scan: reads entries until Limit items or 1 MB were read, then filters (the filter
 * applies after Limit, as in DynamoDB), projects, counts, and sets LastEvaluatedKey when it stopped early.
 */
final class ReadPage {

    static final long MAX_PAGE_BYTES = 1024 * 1024;

    private ReadPage() {
    }

    /** Select, checked against the source: the attributes an item answer holds. */
    static String select(JsonNode r, ItemSource source) {
        String select = Validation.text(r, "Select");
        boolean projection = r.has("ProjectionExpression") || r.has("AttributesToGet");
        if (select == null) {
            select = projection ? "SPECIFIC_ATTRIBUTES" : source.isIndex() ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
        }
        if (projection && !select.equals("SPECIFIC_ATTRIBUTES")) {
            if (r.has("AttributesToGet")) {
                throw DynamoException.validation("Cannot specify the AttributesToGet when choosing to get " + select);
            }
            throw DynamoException.validation("Cannot specify the ProjectionExpression when choosing to get " + select);
        }
        if (select.equals("ALL_PROJECTED_ATTRIBUTES") && !source.isIndex()) {
            throw DynamoException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        if (select.equals("ALL_ATTRIBUTES") && source.isIndex() && source.index.global()
                && !"ALL".equals(source.index.projectionType())) {
            throw DynamoException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
                    + "for global secondary index " + source.index.name() + " because its projection type is not ALL");
        }
        return select;
    }

    static ObjectNode read(ItemSource source, Iterator<Map.Entry<byte[], byte[]>> entries, Integer limit,
            Predicate<Map<String, Value>> accept, ParsedExpressions ex, String select, boolean consistent,
            Consumption.Mode mode, String tableName) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        boolean count = select.equals("COUNT");
        ArrayNode items = count ? null : response.putArray("Items");
        long bytes = 0;
        int scanned = 0;
        int matched = 0;
        Map<String, Value> last = null;
        boolean more = false;
        boolean fetchFromTable = source.isIndex() && !source.index.global() && !"ALL".equals(source.index.projectionType())
                && (select.equals("ALL_ATTRIBUTES") || select.equals("SPECIFIC_ATTRIBUTES"));
        while (entries.hasNext()) {
            if (limit != null && scanned >= limit || bytes >= MAX_PAGE_BYTES) {
                more = true;
                break;
            }
            Map.Entry<byte[], byte[]> e = entries.next();
            Map<String, Value> item = ItemSource.decode(e.getValue());
            if (accept != null && !accept.test(item)) {
                continue;
            }
            scanned++;
            bytes += ItemSize.of(item);
            last = item;
            if (fetchFromTable) {
                Map<String, Value> full = source.table.get(source.table.keyOf(item));
                if (full != null) {
                    bytes += ItemSize.of(full);
                    item = full;
                }
            }
            if (ex.filter() != null && !ex.filter().test(item)) {
                continue;
            }
            matched++;
            if (!count) {
                items.add(ValueJson.toJson(ex.projection() == null ? item : ex.projection().apply(item)));
            }
        }
        if (!more && limit != null && scanned == limit && last != null) {
            more = true; // DynamoDB stops at Limit without looking further
        }
        response.put("Count", matched);
        response.put("ScannedCount", scanned);
        if (more && last != null) {
            response.set("LastEvaluatedKey", ValueJson.toJson(source.lastEvaluatedKey(last)));
        }
        if (mode != Consumption.Mode.NONE) {
            Consumption c = new Consumption(tableName);
            double units = Consumption.readUnits(bytes, consistent);
            if (source.isIndex()) {
                c.indexRead(source.index.name(), source.index.global(), units);
            } else {
                c.tableRead(units);
            }
            ItemRequests.consumed(response, c, mode);
        }
        return response;
    }
}
