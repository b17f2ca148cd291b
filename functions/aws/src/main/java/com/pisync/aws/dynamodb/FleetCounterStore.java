package com.pisync.aws.dynamodb;

import com.pisync.aws.stats.CounterTransactions;
import com.pisync.aws.stats.CounterUpdate;
import com.pisync.aws.stats.RecordCounters;
import com.pisync.aws.stats.StatsItems;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Adds stream records to the fleet counters exactly once, however often Lambda delivers them.
 *
 * <p>Each delivery (the records of one invocation, from one stream shard) has a checkpoint item named
 * after its first record. Every transaction adds a group of consecutive records to the counters and,
 * in the same transaction, moves the checkpoint to the group's last sequence number, on condition that
 * it still holds what this delivery last saw. A second delivery from the same first record (Lambda's
 * retry, possibly with more or fewer records, or a duplicate running at the same time) fails that
 * condition, reads how far the first got, and adds only the records after that.
 *
 * <p>So a failed delivery must be retried from its <em>first</em> record: the handler reports that
 * one to Lambda whatever failed. Retrying from a later record would start a new checkpoint and add
 * again anything the failed attempt wrote without hearing back (a timeout after the commit).
 *
 * <p>Why not one checkpoint per stream: a table's stream has many shards that Lambda reads at the same
 * time, their sequence numbers are not comparable, and the Lambda event does not say which shard a
 * record came from.
 */
public final class FleetCounterStore {

    private static final int MAX_CONFLICT_RETRIES = 5;
    private static final int MAX_CHECKPOINT_RACES = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int maxCounters;

    public FleetCounterStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, CounterTransactions.MAX_COUNTERS);
    }

    /** @param maxCounters counters per transaction (tests use small values to force several transactions) */
    public FleetCounterStore(DynamoDbClient dynamo, String table, int maxCounters) {
        this.dynamo = dynamo;
        this.table = table;
        this.maxCounters = maxCounters;
    }

    /**
     * Adds the records (in stream order) that are not in the counters yet. On an exception some may
     * have been added: deliver the same records again (from the same first record) to finish.
     *
     * @param checkpointId names the delivery: its stream and first record (see the class comment)
     * @return the transactions written (0 when every record was already counted or counts nothing)
     */
    public int apply(String checkpointId, List<RecordCounters> records, Instant now) {
        String known = null; // the checkpoint's seq as this delivery last saw it; null: none seen
        int start = 0;
        int written = 0;
        int races = 0;
        replan:
        while (true) {
            start = firstAfter(records, start, known);
            List<RecordCounters> rest = records.subList(start, records.size());
            for (CounterTransactions.Transaction tx : CounterTransactions.plan(rest, maxCounters)) {
                if (!tx.updates().isEmpty()) {
                    String last = StatsItems.paddedSequence(rest.get(tx.to() - 1).sequenceNumber());
                    try {
                        write(checkpointId, known, last, tx.updates(), now);
                    } catch (TransactionCanceledException e) {
                        if (!checkpointMoved(e) || ++races > MAX_CHECKPOINT_RACES) {
                            throw e;
                        }
                        known = readCheckpoint(checkpointId);
                        continue replan;
                    }
                    known = last;
                    written++;
                }
                start += tx.to() - tx.from();
            }
            return written;
        }
    }

    /** Index of the first record at or after {@code from} whose sequence number is above {@code applied}. */
    private static int firstAfter(List<RecordCounters> records, int from, String applied) {
        int i = from;
        while (applied != null && i < records.size()
                && StatsItems.paddedSequence(records.get(i).sequenceNumber()).compareTo(applied) <= 0) {
            i++;
        }
        return i;
    }

    private void write(String checkpointId, String expected, String last, List<CounterUpdate> updates, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(checkpoint(checkpointId, expected, last, now)).build());
        for (CounterUpdate u : updates) {
            items.add(TransactWriteItem.builder().update(counter(u)).build());
        }
        for (int attempt = 0; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                return;
            } catch (TransactionCanceledException e) {
                // Another delivery's transaction held one of our counters for a moment: nothing was written.
                if (!onlyConflicts(e) || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private Update checkpoint(String checkpointId, String expected, String last, Instant now) {
        Map<String, String> names = Map.of("#seq", StatsItems.SEQ, "#exp", StatsItems.EXPIRES_AT);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seq", AttributeValue.fromS(last));
        values.put(":exp", AttributeValue.fromN(Long.toString(now.plus(StatsItems.CHECKPOINT_TTL).getEpochSecond())));
        String condition;
        if (expected == null) {
            condition = "attribute_not_exists(#seq)";
        } else {
            condition = "#seq = :expected";
            values.put(":expected", AttributeValue.fromS(expected));
        }
        return Update.builder().tableName(table)
                .key(key(StatsItems.CHECKPOINT, checkpointId))
                .updateExpression("SET #seq = :seq, #exp = :exp")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private Update counter(CounterUpdate u) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, BigDecimal> a : u.add().entrySet()) {
            names.put("#a" + i, a.getKey());
            values.put(":a" + i, AttributeValue.fromN(a.getValue().stripTrailingZeros().toPlainString()));
            adds.add("#a" + i + " :a" + i);
            i++;
        }
        String expression = "ADD " + String.join(", ", adds);
        if (u.expiresAt() != null) {
            names.put("#exp", StatsItems.EXPIRES_AT);
            values.put(":exp", AttributeValue.fromN(Long.toString(u.expiresAt())));
            expression += " SET #exp = :exp";
        }
        return Update.builder().tableName(table)
                .key(key(u.key().scope(), u.key().counter()))
                .updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /** The checkpoint's seq, read strongly consistent; null when there is none. */
    private String readCheckpoint(String checkpointId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(StatsItems.CHECKPOINT, checkpointId))
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        AttributeValue seq = item == null ? null : item.get(StatsItems.SEQ);
        return seq == null ? null : seq.s();
    }

    private static Map<String, AttributeValue> key(String scope, String counter) {
        return Map.of(StatsItems.SCOPE, AttributeValue.fromS(scope), StatsItems.COUNTER, AttributeValue.fromS(counter));
    }

    /** The checkpoint is the transaction's first item. */
    private static boolean checkpointMoved(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        return !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
    }

    private static boolean onlyConflicts(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        boolean conflict = false;
        for (CancellationReason r : e.cancellationReasons()) {
            String code = r.code();
            if ("TransactionConflict".equals(code) || "ThrottlingError".equals(code)) {
                conflict = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return conflict;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1000, (25L << attempt) + (long) (Math.random() * 25)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting transaction", e);
        }
    }
}
