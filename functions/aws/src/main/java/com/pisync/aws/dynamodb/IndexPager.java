package com.pisync.aws.dynamodb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Pages through an index whose entries are spread over several partition keys (write shards, or one
 * partition when there is a single key), merging them in sort-key order. Each page reads at most
 * {@code limit + 1} entries per partition, so its cost depends on the page size and the shard
 * count, never on the table's size. The position is one sort-key value: every partition resumes
 * after it.
 */
public final class IndexPager {

    /** A page of index entries and the sort key to continue after (null: no more). */
    public record Result(List<Map<String, AttributeValue>> items, String nextAfter) {
    }

    /**
     * @param index the GSI, or null for the table itself
     * @param lowerBound inclusive, or null
     * @param upperBound inclusive, or null
     * @param filter optional FilterExpression over projected attributes (names #f*, values :f*)
     */
    public record Query(String table, String index, String partitionAttribute, List<String> partitions,
            String sortAttribute, boolean descending, String lowerBound, String upperBound, String filter,
            Map<String, String> filterNames, Map<String, AttributeValue> filterValues) {

        public Query withFilter(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
            return new Query(table, index, partitionAttribute, partitions, sortAttribute, descending, lowerBound,
                    upperBound, expression, names, values);
        }
    }

    public static Query query(String table, String index, String partitionAttribute, List<String> partitions,
            String sortAttribute, boolean descending) {
        return new Query(table, index, partitionAttribute, partitions, sortAttribute, descending, null, null, null,
                Map.of(), Map.of());
    }

    public static Query range(Query q, String lowerBound, String upperBound) {
        return new Query(q.table(), q.index(), q.partitionAttribute(), q.partitions(), q.sortAttribute(),
                q.descending(), lowerBound, upperBound, q.filter(), q.filterNames(), q.filterValues());
    }

    /** Below and above every sort key PiSync writes (they start with a printable character). */
    public static final String MIN = " ";
    public static final String MAX = "\uFFEF\uFFEF\uFFEF\uFFEF";

    private final DynamoDbClient dynamo;
    private final ExecutorService workers;

    public IndexPager(DynamoDbClient dynamo, ExecutorService workers) {
        this.dynamo = dynamo;
        this.workers = workers;
    }

    public Result page(Query q, String after, int limit) {
        String lo = q.lowerBound() == null ? MIN : q.lowerBound();
        String hi = q.upperBound() == null ? MAX : q.upperBound();
        if (after != null) {
            // BETWEEN is inclusive: resume at the last entry given out and drop it below.
            if (q.descending()) {
                hi = min(hi, after);
            } else {
                lo = max(lo, after);
            }
        }
        if (lo.compareTo(hi) > 0) {
            return new Result(List.of(), null);
        }
        String from = lo;
        String to = hi;
        List<CompletableFuture<QueryResponse>> reads = new ArrayList<>();
        for (String partition : q.partitions()) {
            reads.add(CompletableFuture.supplyAsync(() -> read(q, partition, from, to, limit + 1), workers));
        }
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        String cut = null;
        for (CompletableFuture<QueryResponse> read : reads) {
            QueryResponse r = read.join();
            for (Map<String, AttributeValue> item : r.items()) {
                if (after == null || !after.equals(item.get(q.sortAttribute()).s())) {
                    entries.add(item);
                }
            }
            if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                String frontier = r.lastEvaluatedKey().get(q.sortAttribute()).s();
                // Entries beyond the nearest frontier may miss ones from that partition: stop there.
                if (cut == null || (q.descending() ? frontier.compareTo(cut) > 0 : frontier.compareTo(cut) < 0)) {
                    cut = frontier;
                }
            }
        }
        Comparator<Map<String, AttributeValue>> order = Comparator.comparing(e -> e.get(q.sortAttribute()).s());
        entries.sort(q.descending() ? order.reversed() : order);
        String bound = cut;
        List<Map<String, AttributeValue>> eligible = bound == null ? entries : entries.stream()
                .filter(e -> {
                    int c = e.get(q.sortAttribute()).s().compareTo(bound);
                    return q.descending() ? c >= 0 : c <= 0;
                }).toList();
        if (eligible.size() > limit) {
            List<Map<String, AttributeValue>> page = eligible.subList(0, limit);
            return new Result(page, page.get(limit - 1).get(q.sortAttribute()).s());
        }
        return new Result(eligible, cut);
    }

    private QueryResponse read(Query q, String partition, String lo, String hi, int limit) {
        Map<String, String> names = new HashMap<>(q.filterNames());
        names.put("#pk", q.partitionAttribute());
        names.put("#sk", q.sortAttribute());
        Map<String, AttributeValue> values = new HashMap<>(q.filterValues());
        values.put(":pk", AttributeValue.fromS(partition));
        values.put(":lo", AttributeValue.fromS(lo));
        values.put(":hi", AttributeValue.fromS(hi));
        QueryRequest.Builder request = QueryRequest.builder().tableName(q.table())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(!q.descending())
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (q.index() != null) {
            request.indexName(q.index());
        }
        if (q.filter() != null) {
            request.filterExpression(q.filter());
        }
        return dynamo.query(request.build());
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
