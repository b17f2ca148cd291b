package com.pisync.aws.dynamodb;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * partition when there is a single key), merging them in sort-key order. Partitions are read lazily: first
 * about twice their share of the page (a Query is charged per 4 KB, so a few small entries cost what one
 * does), then batches that double, only for a partition that may hold the next entry. A partition evaluates
 * at most {@code limit + 1} entries per page (a filter may drop them); a page stops at the nearest place a
 * partition stopped, so no entry is skipped or repeated. Its cost depends on the page size and the
 * partition count, never on the table's size. The position is one sort-key value: every partition resumes
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

    /** Entries a partition's first read asks for at least: a few small entries cost what one does. */
    static final int MIN_FIRST_READ = 4;

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
        int budget = limit + 1 + (after == null ? 0 : 1);
        int first = q.partitions().size() == 1 ? budget
                : Math.min(budget, Math.max(MIN_FIRST_READ, -Math.floorDiv(-2 * (limit + 1), q.partitions().size())));
        List<Partition> partitions = new ArrayList<>();
        for (String key : q.partitions()) {
            partitions.add(new Partition(q, key, lo, hi, after, budget, first));
        }
        fill(partitions);

        List<Map<String, AttributeValue>> out = new ArrayList<>();
        String stop = null;
        while (out.size() <= limit) {
            Partition head = null;
            for (Partition p : partitions) {
                if (!p.buffer.isEmpty() && (head == null || before(q, p.peekKey(), head.peekKey()))) {
                    head = p;
                }
            }
            // A drained partition may hold the next entry unless the head comes before where it stopped reading.
            List<Partition> refill = new ArrayList<>();
            stop = null;
            for (Partition p : partitions) {
                if (!p.buffer.isEmpty() || p.exhausted || (head != null && !before(q, p.frontier, head.peekKey()))) {
                    continue;
                }
                if (p.budget > 0) {
                    refill.add(p);
                } else if (stop == null || before(q, p.frontier, stop)) {
                    stop = p.frontier; // read as far as a page may: entries past here wait for the next page
                }
            }
            if (!refill.isEmpty()) {
                fill(refill);
                continue;
            }
            if (head == null || stop != null) {
                break;
            }
            out.add(head.buffer.poll());
        }
        if (out.size() > limit) {
            List<Map<String, AttributeValue>> page = out.subList(0, limit);
            return new Result(page, page.get(limit - 1).get(q.sortAttribute()).s());
        }
        return new Result(out, stop);
    }

    /** {@code a} comes before {@code b} in the query's order. */
    private static boolean before(Query q, String a, String b) {
        int c = a.compareTo(b);
        return q.descending() ? c > 0 : c < 0;
    }

    /** Reads the partitions' next batches, at once when there are several. */
    private void fill(List<Partition> partitions) {
        if (partitions.size() == 1) {
            partitions.get(0).fill();
            return;
        }
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (Partition p : partitions) {
            reads.add(CompletableFuture.runAsync(p::fill, workers));
        }
        reads.forEach(CompletableFuture::join);
    }

    /** One partition of the index, read a batch at a time within the page's read budget. */
    private final class Partition {
        private final Query q;
        private final String key;
        private final String lo;
        private final String hi;
        private final String after;
        private final ArrayDeque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> startKey;
        private boolean exhausted;
        /** Entries this partition may still evaluate for this page (a filter may drop what it evaluates). */
        private int budget;
        private int batch;
        /** The sort key of the last entry evaluated: nothing before it is left unread. */
        private String frontier;

        Partition(Query q, String key, String lo, String hi, String after, int budget, int batch) {
            this.q = q;
            this.key = key;
            this.lo = lo;
            this.hi = hi;
            this.after = after;
            this.budget = budget;
            this.batch = batch;
        }

        String peekKey() {
            return buffer.peek().get(q.sortAttribute()).s();
        }

        void fill() {
            QueryResponse r = read(q, key, lo, hi, Math.min(batch, budget), startKey);
            budget -= r.scannedCount() == null ? r.items().size() : r.scannedCount();
            batch *= 2;
            for (Map<String, AttributeValue> item : r.items()) {
                if (after == null || !after.equals(item.get(q.sortAttribute()).s())) {
                    buffer.add(item);
                }
            }
            if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                startKey = r.lastEvaluatedKey();
                frontier = startKey.get(q.sortAttribute()).s();
            } else {
                exhausted = true;
            }
        }
    }

    private QueryResponse read(Query q, String partition, String lo, String hi, int limit,
            Map<String, AttributeValue> startKey) {
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
                .exclusiveStartKey(startKey)
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
