package com.pisync.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.aws.stats.CounterTransactions;
import com.pisync.aws.stats.CounterUpdate;
import com.pisync.aws.stats.RecordCounters;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterTransactionsTest {

    @Test
    void aBatchBecomesOneTransactionWithOneUpdatePerCounter() {
        List<CounterTransactions.Transaction> plan = CounterTransactions.plan(List.of(
                record("1", add("fleet", "day#a", 1), add("fleet", "hour#a", 1)),
                record("2"),
                record("3", add("fleet", "day#a", 1), add("fleet", "hour#b", 2))), 99);

        assertEquals(1, plan.size());
        assertEquals(0, plan.get(0).from());
        assertEquals(3, plan.get(0).to());
        assertEquals(List.of(add("fleet", "day#a", 2), add("fleet", "hour#a", 1), add("fleet", "hour#b", 2)),
                plan.get(0).updates());
    }

    @Test
    void moreCountersThanATransactionHoldsAreSplitAtRecordBoundaries() {
        List<RecordCounters> records = List.of(
                record("1", add("fleet", "a", 1), add("fleet", "b", 1)),
                record("2", add("fleet", "a", 1)),
                record("3", add("fleet", "c", 1)),
                record("4", add("fleet", "d", 1), add("fleet", "c", 1)),
                record("5", add("fleet", "e", 1)));

        List<CounterTransactions.Transaction> plan = CounterTransactions.plan(records, 2);

        assertEquals(List.of(new CounterTransactions.Transaction(0, 2, List.of(add("fleet", "a", 2), add("fleet", "b", 1))),
                new CounterTransactions.Transaction(2, 4, List.of(add("fleet", "c", 2), add("fleet", "d", 1))),
                new CounterTransactions.Transaction(4, 5, List.of(add("fleet", "e", 1)))), plan);
    }

    @Test
    void amountsThatCancelOutWriteNothing() {
        List<CounterTransactions.Transaction> plan = CounterTransactions.plan(List.of(
                record("1", add("site#a", "status#healthy#00", -1), add("site#b", "status#healthy#00", 1)),
                record("2", add("site#b", "status#healthy#00", -1), add("site#a", "status#healthy#00", 1))), 99);
        assertEquals(List.of(new CounterTransactions.Transaction(0, 2, List.of())), plan);
    }

    @Test
    void nothingToPlanForNoRecords() {
        assertEquals(List.of(), CounterTransactions.plan(List.of(), 99));
    }

    private static RecordCounters record(String seq, CounterUpdate... updates) {
        return new RecordCounters(seq, List.of(updates));
    }

    private static CounterUpdate add(String scope, String counter, int amount) {
        return CounterUpdate.of(scope, counter, Map.of("syncs", BigDecimal.valueOf(amount)), null);
    }
}
