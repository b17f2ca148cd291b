package com.pisync.aws.dynamodb;

import com.pisync.domain.FailureRanking;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The failure ranking (index {@value DeviceIndexes#FAILURE_RANK}) read as FailureRanking entries, most failures
 * first, merged over the write shards. Each shard is read lazily, in batches that double as a shard is drained,
 * so an entry is read once and a page reads little past what the ranking needs.
 */
public final class FailureRankIndex {

    /**
     * Entries the first read of each shard asks for: about what one read unit covers (a Query is charged per
     * 4 KB read, an entry is about 80 bytes), so asking for fewer would not cost less.
     */
    static final int FIRST_BATCH = 40;
    static final int MAX_BATCH = 1000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ExecutorService workers;

    public FailureRankIndex(DynamoDbClient dynamo, String table, ExecutorService workers) {
        this.dynamo = dynamo;
        this.table = table;
        this.workers = workers;
    }

    /** Entries with a bound of {@code minBound} or more, in rank order; the first batch of every shard read at once. */
    public Iterator<FailureRanking.Entry> from(int minBound) {
        String upTo = FailureRanking.rankKeyAtLeast(minBound);
        List<ShardReader> shards = new ArrayList<>();
        List<CompletableFuture<Void>> first = new ArrayList<>();
        for (int i = 0; i < Shards.COUNT; i++) {
            ShardReader shard = new ShardReader(Shards.name(i), upTo);
            shards.add(shard);
            first.add(CompletableFuture.runAsync(shard::fill, workers));
        }
        first.forEach(CompletableFuture::join);
        PriorityQueue<ShardReader> heads = new PriorityQueue<>((a, b) -> a.peekKey().compareTo(b.peekKey()));
        shards.stream().filter(ShardReader::hasNext).forEach(heads::add);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public FailureRanking.Entry next() {
                ShardReader shard = heads.poll();
                if (shard == null) {
                    throw new NoSuchElementException();
                }
                Map<String, AttributeValue> item = shard.take();
                if (shard.hasNext()) {
                    heads.add(shard);
                }
                String rank = item.get(DeviceIndexes.RF_RANK).s();
                return new FailureRanking.Entry(item.get(DeviceItems.DEVICE_ID).s(), FailureRanking.boundOf(rank),
                        DeviceItems.failureDays(item));
            }
        };
    }

    /** One shard's entries in rank order, fetched a batch at a time. */
    private final class ShardReader {
        private final String shard;
        private final String upTo;
        private final ArrayDeque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> resumeAfter;
        private boolean exhausted;
        private int batch = FIRST_BATCH;

        ShardReader(String shard, String upTo) {
            this.shard = shard;
            this.upTo = upTo;
        }

        boolean hasNext() {
            while (buffer.isEmpty() && !exhausted) {
                fill();
            }
            return !buffer.isEmpty();
        }

        String peekKey() {
            return buffer.peekFirst().get(DeviceIndexes.RF_RANK).s();
        }

        Map<String, AttributeValue> take() {
            return buffer.pollFirst();
        }

        void fill() {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(DeviceIndexes.FAILURE_RANK)
                    .keyConditionExpression("#pk = :pk AND #sk <= :hi")
                    .expressionAttributeNames(Map.of("#pk", DeviceIndexes.RF_SHARD, "#sk", DeviceIndexes.RF_RANK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(shard), ":hi",
                            AttributeValue.fromS(upTo)))
                    .scanIndexForward(true)
                    .limit(batch)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            if (resumeAfter != null) {
                request.exclusiveStartKey(resumeAfter);
            }
            QueryResponse r = dynamo.query(request.build());
            buffer.addAll(r.items());
            exhausted = !r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty();
            resumeAfter = exhausted ? null : r.lastEvaluatedKey();
            batch = Math.min(MAX_BATCH, batch * 2);
        }
    }
}
