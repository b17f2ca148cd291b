package com.pisync.aws.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a delivery's records, in stream order, into transactions: each covers consecutive records and
 * adds their updates up per counter, so a batch of hundreds of events usually becomes one transaction
 * of a handful of counter items. A transaction holds at most {@code maxCounters} counters (DynamoDB
 * allows 100 items, one of which is the checkpoint).
 */
public final class CounterTransactions {

    /** DynamoDB's limit of 100 items per transaction, less the checkpoint. */
    public static final int MAX_COUNTERS = 99;

    /**
     * Records {@code from} (inclusive) to {@code to} (exclusive) of the planned list, and their merged
     * updates (counters whose amounts cancel out are left out).
     */
    public record Transaction(int from, int to, List<CounterUpdate> updates) {
        public Transaction {
            updates = List.copyOf(updates);
        }
    }

    private CounterTransactions() {
    }

    public static List<Transaction> plan(List<RecordCounters> records, int maxCounters) {
        if (maxCounters < 1) {
            throw new IllegalArgumentException("maxCounters must be at least 1");
        }
        List<Transaction> plan = new ArrayList<>();
        Map<CounterUpdate.Key, CounterUpdate> merged = new LinkedHashMap<>();
        int from = 0;
        for (int i = 0; i < records.size(); i++) {
            List<CounterUpdate> updates = records.get(i).updates();
            long added = updates.stream().map(CounterUpdate::key).distinct().filter(k -> !merged.containsKey(k)).count();
            if (updates.stream().map(CounterUpdate::key).distinct().count() > maxCounters) {
                throw new IllegalArgumentException("record " + records.get(i).sequenceNumber() + " updates more than "
                        + maxCounters + " counters; a record is never split across transactions");
            }
            if (i > from && merged.size() + added > maxCounters) {
                plan.add(close(from, i, merged));
                merged.clear();
                from = i;
            }
            for (CounterUpdate u : updates) {
                merged.merge(u.key(), u, CounterUpdate::plus);
            }
        }
        if (from < records.size()) {
            plan.add(close(from, records.size(), merged));
        }
        return plan;
    }

    private static Transaction close(int from, int to, Map<CounterUpdate.Key, CounterUpdate> merged) {
        return new Transaction(from, to, merged.values().stream().filter(u -> !u.isEmpty()).toList());
    }
}
