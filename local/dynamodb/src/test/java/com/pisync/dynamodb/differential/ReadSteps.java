package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Query on the table and its indexes, and Scan — each paged through to the end. */
final class ReadSteps {

    private static final List<String> ORDERINGS = List.of("=", "<", "<=", ">", ">=");

    private final Gen gen;
    private final ItemSteps items;

    ReadSteps(Gen gen, ItemSteps items) {
        this.gen = gen;
        this.items = items;
    }

    /** Query the table: pk = :p, maybe a sort key condition (=, <, <=, >, >=, BETWEEN, begins_with). */
    Step queryMain(int index) {
        Placeholders p = new Placeholders();
        String key = gen.paths.render("pk", p) + " = " + p.value(Schema.s(gen.pick(Schema.PARTITIONS)));
        if (gen.chance(70)) {
            key += " AND " + stringRange(p, "sk", Schema.sortKey(gen.sort()), Schema.sortKey(gen.sort()),
                    gen.pick(List.of("a", "b#", "c#3", "e", "z")));
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(Schema.MAIN).keyConditionExpression(key)
                .consistentRead(gen.chance(30) ? Boolean.TRUE : null);
        decorate(request, p, true);
        return query(index, request, p, true);
    }

    /** Query the GSI with a sort key: gpk = :g, maybe gsk (N) compared or BETWEEN. */
    Step queryByGroup(int index) {
        Placeholders p = new Placeholders();
        String key = gen.paths.render("gpk", p) + " = " + p.value(Schema.s(gen.pick(Schema.GROUPS)));
        if (gen.chance(60)) {
            String gsk = gen.paths.render("gsk", p);
            int low = (gen.below(13) - 3) * 1000;
            key += gen.chance(25)
                    ? " AND " + gsk + " BETWEEN " + p.value(Schema.n(Integer.toString(low))) + " AND "
                            + p.value(Schema.n(Integer.toString(low + gen.below(5000))))
                    : " AND " + gsk + " " + gen.pick(ORDERINGS) + " " + p.value(Schema.n(Integer.toString(low)));
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(Schema.MAIN).indexName(Schema.BY_GROUP)
                .keyConditionExpression(key);
        decorate(request, p, true);
        return query(index, request, p, true);
    }

    /** Query the LSI (KEYS_ONLY): only projected attributes are asked for, so no base-table fetch is needed. */
    Step queryByLocal(int index) {
        Placeholders p = new Placeholders();
        String key = gen.paths.render("pk", p) + " = " + p.value(Schema.s(gen.pick(Schema.PARTITIONS)));
        if (gen.chance(60)) {
            key += " AND " + stringRange(p, "lsk", "l" + gen.below(10), "l" + gen.below(10) + "#9",
                    "l" + gen.below(10));
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(Schema.MAIN).indexName(Schema.BY_LOCAL)
                .keyConditionExpression(key)
                .scanIndexForward(gen.chance(40) ? Boolean.FALSE : null);
        if (gen.chance(40)) {
            request.limit(limit());
        }
        if (gen.chance(20)) {
            request.select(Select.COUNT);
        } else if (gen.chance(30)) {
            request.projectionExpression(gen.paths.projection("lsk", p) + ", " + gen.paths.projection("sk", p));
        } else if (gen.chance(20)) {
            request.select(Select.ALL_PROJECTED_ATTRIBUTES);
        }
        return query(index, request, p, true);
    }

    /** Query the hash-only GSI: its items have no defined order, so they are compared as a bag. */
    Step queryByStatus(int index) {
        Placeholders p = new Placeholders();
        String key = gen.paths.render("status", p) + " = " + p.value(Schema.s(gen.pick(Schema.STATUSES)));
        QueryRequest.Builder request = QueryRequest.builder().tableName(Schema.MAIN).indexName(Schema.BY_STATUS)
                .keyConditionExpression(key);
        if (gen.chance(50)) {
            request.limit(limit());
        }
        if (gen.chance(30)) {
            request.filterExpression(gen.conditions.mainFilter(p));
        }
        if (gen.chance(30)) {
            request.select(gen.chance(50) ? Select.COUNT : Select.ALL_PROJECTED_ATTRIBUTES);
        }
        return query(index, request, p, false);
    }

    Step scan(int index) {
        Placeholders p = new Placeholders();
        boolean main = gen.chance(70);
        ScanRequest.Builder request = ScanRequest.builder().tableName(main ? Schema.MAIN : Schema.COUNTERS);
        if (gen.chance(50)) {
            request.limit(limit() * 4);
        }
        if (gen.chance(50)) {
            request.filterExpression(main ? gen.conditions.mainFilter(p) : gen.conditions.countersFilter(p));
        }
        int segments = gen.chance(30) ? 2 + gen.below(3) : 1;
        ScanRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values())
                .totalSegments(segments > 1 ? segments : null).build();
        return new Step(index, "Scan", built.toString(), Set.of(), built.limit(),
                c -> segments > 1 ? scanSegments(c, built, segments) : scanAll(c, built));
    }

    /**
     * A parallel Scan, segment after segment: which item falls in which segment is the server's choice, so
     * only the union of the segments is compared (every item exactly once, as a bag) with the summed counts.
     */
    private static Map<String, Object> scanSegments(DynamoDbClient client, ScanRequest request, int segments) {
        List<Object> items = new ArrayList<>();
        long count = 0;
        long scanned = 0;
        for (int segment = 0; segment < segments; segment++) {
            Map<String, Object> one = scanAll(client, request.toBuilder().segment(segment).build());
            if (one.get("items") instanceof Tree.Bag bag) {
                items.addAll(bag.elements());
            }
            count += ((Number) one.get("Count")).longValue();
            scanned += ((Number) one.get("ScannedCount")).longValue();
            if (one.containsKey("unfinished")) {
                return one;
            }
        }
        Map<String, Object> result = new TreeMap<>();
        Tree.putIfPresent(result, "items", new Tree.Bag(items));
        result.put("Count", count);
        result.put("ScannedCount", scanned);
        return result;
    }

    /** A whole-table Scan: where two runs' states are compared. */
    Step fullScan(int index, String table) {
        ScanRequest built = ScanRequest.builder().tableName(table).consistentRead(true).build();
        return new Step(index, "Scan", built.toString(), Set.of(), null, c -> scanAll(c, built));
    }

    private void decorate(QueryRequest.Builder request, Placeholders p, boolean main) {
        if (gen.chance(40)) {
            request.scanIndexForward(Boolean.FALSE);
        }
        if (gen.chance(50)) {
            request.limit(limit());
        }
        if (gen.chance(35)) {
            request.filterExpression(gen.conditions.mainFilter(p));
        }
        if (gen.chance(15)) {
            request.select(Select.COUNT);
        } else if (gen.chance(30)) {
            request.projectionExpression(items.projection(p));
        }
    }

    /** Mostly a few items per page; sometimes one, to page item by item (each page costs a request on both sides). */
    private int limit() {
        return gen.chance(15) ? 1 : 2 + gen.below(7);
    }

    /** A condition on a string sort key: comparison, BETWEEN (low <= high as DynamoDB requires) or begins_with. */
    private String stringRange(Placeholders p, String attribute, String one, String other, String prefix) {
        String path = gen.paths.render(attribute, p);
        int kind = gen.below(7);
        if (kind < 5) {
            return path + " " + ORDERINGS.get(kind) + " " + p.value(Schema.s(one));
        }
        if (kind == 5) {
            String low = one.compareTo(other) <= 0 ? one : other;
            String high = one.compareTo(other) <= 0 ? other : one;
            return path + " BETWEEN " + p.value(Schema.s(low)) + " AND " + p.value(Schema.s(high));
        }
        return "begins_with(" + path + ", " + p.value(Schema.s(prefix)) + ")";
    }

    private Step query(int index, QueryRequest.Builder request, Placeholders p, boolean ordered) {
        QueryRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values()).build();
        Set<String> tags = new HashSet<>();
        if (ordered) {
            tags.add(Step.ORDERED_PAGES);
        }
        return new Step(index, "Query", built.toString(), Set.copyOf(tags), built.limit(),
                c -> queryAll(c, built, ordered));
    }

    private static Map<String, Object> queryAll(DynamoDbClient client, QueryRequest request, boolean ordered) {
        return Reads.all(start -> {
            QueryResponse response = client.query(start == null ? request
                    : request.toBuilder().exclusiveStartKey(start).build());
            return new Reads.Page(ItemSteps.tree(response), lastKey(response.lastEvaluatedKey()));
        }, ordered);
    }

    private static Map<String, Object> scanAll(DynamoDbClient client, ScanRequest request) {
        return Reads.all(start -> {
            ScanResponse response = client.scan(start == null ? request
                    : request.toBuilder().exclusiveStartKey(start).build());
            return new Reads.Page(ItemSteps.tree(response), lastKey(response.lastEvaluatedKey()));
        }, false);
    }

    private static Map<String, AttributeValue> lastKey(Map<String, AttributeValue> key) {
        return key == null || key.isEmpty() ? null : key;
    }
}
