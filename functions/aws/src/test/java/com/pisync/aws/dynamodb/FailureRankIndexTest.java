package com.pisync.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.PiSyncConfig;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureDays;
import com.pisync.domain.FailureRanking;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The failure ranking as the processor's commits write it and the query reads it, on the DynamoDB engine:
 * every shard read past its first batch, merged in rank order; items written before the compact form read.
 */
class FailureRankIndexTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint(), new RequestMeter());
    private final String table;
    private final DeviceStore devices;

    FailureRankIndexTest() {
        PiSyncConfig config = PiSyncConfig.from(Map.of()).withResources("t" + UUID.randomUUID().toString().substring(0, 8)
                + "-", null, null);
        Tables.createIfMissing(dynamo, config, false);
        table = config.devicesTable();
        devices = new DeviceStore(dynamo, table);
    }

    @Test
    void readsEveryShardPastItsFirstBatchInRankOrderDownToTheLeastBound() {
        // 1,500 devices: about 94 a shard, so each shard is read in more than one batch.
        Map<String, Map<String, Integer>> written = new TreeMap<>();
        for (int i = 0; i < 1500; i++) {
            String id = String.format("dev-%04d", i);
            Map<String, Integer> days = i % 7 == 0 ? Map.of()
                    : Map.of(LocalDate.of(2026, 12, 7 - i % 5).toString(), 1 + i % 23, "2026-11-20", i % 3);
            commit(id, days);
            if (!days.isEmpty()) {
                written.put(id, days);
            }
        }
        List<FailureRanking.Entry> read = new ArrayList<>();
        new FailureRankIndex(dynamo, table, Executors.newFixedThreadPool(4)).from(1).forEachRemaining(read::add);

        List<String> expected = written.entrySet().stream()
                .sorted(Comparator.comparing(e -> FailureRanking.rankKey(FailureRanking.bound(FailureDays.total(e.getValue())),
                        e.getKey())))
                .map(Map.Entry::getKey).toList();
        assertEquals(expected, read.stream().map(FailureRanking.Entry::deviceId).toList());
        for (FailureRanking.Entry e : read) {
            assertEquals(written.get(e.deviceId()), e.days(), e.deviceId());
            assertEquals(FailureRanking.bound(FailureDays.total(e.days())), e.bound(), e.deviceId());
        }

        Iterator<FailureRanking.Entry> atLeast20 = new FailureRankIndex(dynamo, table, Executors.newFixedThreadPool(2)).from(20);
        int n = 0;
        while (atLeast20.hasNext()) {
            assertTrue(atLeast20.next().bound() >= 20);
            n++;
        }
        assertEquals(expected.stream().filter(id -> FailureRanking.bound(FailureDays.total(written.get(id))) >= 20).count(), n);
    }

    @Test
    void aDeviceLeavesTheRankingWhenItsLastFailureDayIsDropped() {
        commit("gone", Map.of("2026-12-01", 4));
        commit("gone", Map.of());
        List<FailureRanking.Entry> read = new ArrayList<>();
        new FailureRankIndex(dynamo, table, Executors.newFixedThreadPool(2)).from(1).forEachRemaining(read::add);
        assertEquals(List.of(), read);
    }

    @Test
    void theMapOfIsoDaysOfItemsWrittenBeforeIsStillRead() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(DeviceItems.key("old"));
        item.put(DeviceItems.FAILURE_DAYS, AttributeValue.fromM(Map.of("2026-12-01", AttributeValue.fromN("2"),
                "2026-12-03", AttributeValue.fromN("5"))));
        item.put(DeviceItems.VERSION, AttributeValue.fromN("3"));
        dynamo.putItem(r -> r.tableName(table).item(item));
        assertEquals(Map.of("2026-12-01", 2, "2026-12-03", 5), devices.load("old").failureDays());
        commit("old", Map.of("2026-12-03", 6));
        assertEquals(FailureDays.encode(Map.of("2026-12-03", 6)),
                dynamo.getItem(r -> r.tableName(table).key(DeviceItems.key("old"))).item().get(DeviceItems.FAILURE_DAYS).s());
    }

    private void commit(String id, Map<String, Integer> days) {
        DeviceRecord before = devices.load(id);
        DeviceState state = before.state();
        assertTrue(devices.commit(before, state, DeviceStatus.NEVER_SYNCED, Set.of(), List.of(), days, NOW), id);
    }
}
