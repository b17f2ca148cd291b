package com.pisync.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Upload items on the DynamoDB engine: an upload's events in one item, read back by every reader of the history
 * exactly in device order (pages at every size, keys asked in any subset, failures after a point inside an
 * upload), late events joining it, failed events still in the error lists, and what it costs.
 */
class UploadItemsTest {

    private static final String DEVICE = "pibook-u";
    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-12-07T12:00:00Z");

    private final RequestMeter meter = new RequestMeter();
    private final DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint(), meter);
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final String table;
    private final SyncEventStore store;
    private final DynamoSyncHistory history;

    UploadItemsTest() {
        PiSyncConfig config = PiSyncConfig.from(Map.of()).withResources("u" + UUID.randomUUID().toString().substring(0, 8)
                + "-", null, null);
        Tables.createIfMissing(dynamo, config, false);
        table = config.syncEventsTable();
        store = new SyncEventStore(dynamo, table, Duration.ofDays(90));
        history = new DynamoSyncHistory(dynamo, new IndexPager(dynamo, workers), table);
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /** Event {@code n}: device time T0 + n minutes; every third one failed. */
    private static ReceivedSyncEvent event(int n) {
        boolean failed = n % 3 == 0;
        return new ReceivedSyncEvent(new SyncEvent(DEVICE, String.format("ev-%03d", n), T0.plusSeconds(60L * n), null,
                n, failed ? 1 : 0, 4.5 + n, failed ? "E_NET" : null, failed ? "timeout " + n : null, (long) n, null,
                null), RECEIVED.plusMillis(n));
    }

    private static List<ReceivedSyncEvent> events(int from, int to) {
        List<ReceivedSyncEvent> out = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            out.add(event(n));
        }
        return out;
    }

    private List<Map<String, AttributeValue>> items() {
        return dynamo.query(r -> r.tableName(table).keyConditionExpression("device_id = :d")
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(DEVICE))).consistentRead(true)).items();
    }

    /** Events 1–3 alone, 4–13 one upload, 14 alone, 15–24 one upload: 22 history items fewer than events. */
    private void storeMixedHistory() {
        store.putNewest(List.of(List.of(event(1)), List.of(event(2)), List.of(event(3))), "north");
        store.putNewest(List.of(events(4, 13)), "north");
        store.putNewest(List.of(List.of(event(14)), events(15, 24)), "north");
    }

    private List<String> allNewestFirst(int pageSize) {
        List<String> ids = new ArrayList<>();
        String before = null;
        do {
            Page<SyncHistory.Entry> page = history.newestFirst(DEVICE, before, pageSize);
            assertTrue(page.items().size() <= pageSize);
            page.items().forEach(e -> ids.add(e.event().event().eventId()));
            before = page.nextAfter();
        } while (before != null);
        return ids;
    }

    private static List<String> idsNewestFirst(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int n = to; n >= from; n--) {
            ids.add(String.format("ev-%03d", n));
        }
        return ids;
    }

    @Test
    void anUploadIsOneItemWithAnErrorEntryPerFailedEvent() {
        storeMixedHistory();

        List<Map<String, AttributeValue>> items = items();
        long uploads = items.stream().filter(SyncEventItems::isUpload).count();
        long errorEntries = items.stream().filter(i -> SyncEventItems.isErrorEntry(i.get("order_key").s()))
                .count();
        assertEquals(2, uploads);
        assertEquals(4, items.stream().filter(i -> !SyncEventItems.isUpload(i)).count() - errorEntries,
                "events 1, 2, 3 and 14 are items of their own");
        assertEquals(7, errorEntries, "failed events inside uploads: 6, 9, 12 and 15, 18, 21, 24");
    }

    @Test
    void pagesOfEverySizeReadTheHistoryExactlyInDeviceOrder() {
        storeMixedHistory();
        for (int size = 1; size <= 26; size++) {
            assertEquals(idsNewestFirst(1, 24), allNewestFirst(size), "pages of " + size);
        }
        // A page starting inside an upload: the events older than the position, then on down.
        Page<SyncHistory.Entry> fromInside = history.newestFirst(DEVICE, event(9).orderKey(), 3);
        assertEquals(List.of("ev-008", "ev-007", "ev-006"),
                fromInside.items().stream().map(e -> e.event().event().eventId()).toList());
        assertEquals("north", fromInside.items().get(0).site());
        assertEquals(event(8), fromInside.items().get(0).event(), "every field read back from the upload item");
    }

    @Test
    void aPageReadsTheItemsItShowsNotEveryLargeUploadItCouldReach() {
        // three uploads of 400 events whose ids and speeds do not compress away: items of several KB
        java.util.Random random = new java.util.Random(7);
        List<ReceivedSyncEvent> all = new ArrayList<>();
        for (int n = 1; n <= 1200; n++) {
            all.add(new ReceivedSyncEvent(new SyncEvent(DEVICE, String.format("%04d-%s", n, new UUID(random.nextLong(),
                    random.nextLong())), T0.plusSeconds(60L * n + random.nextInt(60)), null, random.nextInt(1000), 0,
                    random.nextDouble() * 100, null, null, null, null, null), RECEIVED));
        }
        for (int u = 0; u < 3; u++) {
            store.putNewest(List.of(all.subList(400 * u, 400 * (u + 1))), "north");
        }
        List<String> newestFirst = new ArrayList<>(all.stream().map(e -> e.event().eventId()).toList());
        java.util.Collections.reverse(newestFirst);
        meter.reset();
        history.newestFirst(DEVICE, null, 1);
        double oneItem = meter.readUnits();
        assertTrue(oneItem >= 2.0, "an upload item of 400 such events is over 12 KB: " + oneItem);

        meter.reset();
        Page<SyncHistory.Entry> page = history.newestFirst(DEVICE, null, 25);
        assertEquals(newestFirst.subList(0, 25), page.items().stream().map(e -> e.event().event().eventId()).toList());
        assertEquals(oneItem, meter.readUnits(), 1e-9, "25 events: the newest upload item only");

        meter.reset();
        Page<SyncHistory.Entry> across = history.newestFirst(DEVICE, page.nextAfter(), 400);
        assertEquals(newestFirst.subList(25, 425), across.items().stream().map(e -> e.event().event().eventId()).toList());
        assertTrue(meter.readUnits() <= 2 * oneItem + 0.5 + 1e-9,
                "the upload holding the cursor, then the next one: " + meter.readUnits());
    }

    @Test
    void storedKeysFindsAnySubsetOfAnUploadAndFailuresAfterStartsInsideOne() {
        storeMixedHistory();
        List<String> keys = events(1, 30).stream().map(ReceivedSyncEvent::orderKey).toList();
        for (boolean consistent : List.of(true, false)) {
            // alone, a run that ends before its upload's newest, across uploads, with missing ones, and spread out
            assertEquals(Set.of(keys.get(6)), store.storedKeys(DEVICE, List.of(keys.get(6)), consistent));
            assertEquals(Set.copyOf(keys.subList(4, 8)), store.storedKeys(DEVICE, keys.subList(4, 8), consistent));
            assertEquals(Set.copyOf(keys.subList(10, 24)), store.storedKeys(DEVICE, keys.subList(10, 29), consistent));
            List<String> spread = new ArrayList<>();
            for (int i = 0; i < 30; i += 2) {
                spread.add(keys.get(i));
            }
            Set<String> expected = new HashSet<>(spread);
            expected.removeIf(k -> keys.indexOf(k) >= 24);
            assertEquals(expected, store.storedKeys(DEVICE, spread, consistent));
        }
        assertEquals(Set.of(), store.storedKeys(DEVICE, List.of(keys.get(26)), true));

        FailureStreak streak = store.failuresAfter(DEVICE, event(22).orderKey());
        assertEquals(FailureStreak.NONE.with(event(23).event()).with(event(24).event()), streak,
                "23 succeeded, 24 failed: read from inside the second upload");
    }

    @Test
    void keysPastTheBoundOfALongRangeAreFoundInsideAnUploadItem() {
        // 40 events alone, then an upload of five: asking for the first, two inside the upload and one never
        // stored spans more items than the range read covers (keys + 16)
        store.putNewest(events(1, 40).stream().map(List::of).toList(), null);
        store.putNewest(List.of(events(41, 45)), null);
        List<String> asked = List.of(event(1).orderKey(), event(42).orderKey(), event(43).orderKey(),
                event(50).orderKey());

        meter.reset();
        assertEquals(Set.of(event(1).orderKey(), event(42).orderKey(), event(43).orderKey()),
                store.storedKeys(DEVICE, asked, true));
        assertEquals(3, meter.requests("DynamoDb.Query"),
                "the range; past its bound the upload item holding 42 (and 43), then the place of 50");
    }

    @Test
    void aLateEventJoinsTheUploadItHoldsAPlaceInAndIsReadInItsPlace() throws Exception {
        store.putNewest(List.of(events(1, 10)), null);
        ReceivedSyncEvent lateFailure = new ReceivedSyncEvent(new SyncEvent(DEVICE, "late-a", T0.plusSeconds(60L * 5 + 30),
                null, 1, 2, 1.0, "E_DISK", "disk full", null, null, null), RECEIVED.plusSeconds(60));
        ReceivedSyncEvent lateSuccess = new ReceivedSyncEvent(new SyncEvent(DEVICE, "late-b", T0.plusSeconds(60L * 7 + 30),
                null, 1, 0, 1.0, null, null, null, null, null), RECEIVED.plusSeconds(60));
        ReceivedSyncEvent before = new ReceivedSyncEvent(new SyncEvent(DEVICE, "early", T0, null, 1, 0, 1.0, null, null,
                null, null, null), RECEIVED.plusSeconds(60));

        // two late events joining at once: the guard on the event count keeps both
        List<Future<?>> joins = List.of(workers.submit(() -> store.putAll(List.of(lateFailure), null)),
                workers.submit(() -> store.putAll(List.of(lateSuccess), null)));
        for (Future<?> join : joins) {
            join.get();
        }
        store.putAll(List.of(before, lateFailure), null); // outside every upload: an item of its own; again: nothing

        List<String> expected = new ArrayList<>(idsNewestFirst(1, 10));
        expected.add(expected.indexOf("ev-005"), "late-a");
        expected.add(expected.indexOf("ev-007"), "late-b");
        expected.add("early");
        assertEquals(expected, allNewestFirst(4));
        assertEquals(2, items().stream().filter(i -> !SyncEventItems.isErrorEntry(i.get("order_key").s()))
                .count(), "the upload item and the early event");
        List<String> failed = history.failedNewestFirst(null, YearMonth.of(2026, 12), T0.minusSeconds(1),
                T0.plusSeconds(3600), null, 20).items().stream().map(e -> e.event().event().eventId()).toList();
        assertEquals(List.of("ev-009", "ev-006", "late-a", "ev-003"), failed,
                "failed events of the upload and the one that joined it, through their error entries");
    }

    @Test
    void anUploadStoredAgainIsKeptAsItIsAndCostsOneWriteUnit() {
        List<ReceivedSyncEvent> upload = events(1, 10).stream().map(e -> e.event().failed()
                ? new ReceivedSyncEvent(new SyncEvent(DEVICE, e.event().eventId(), e.event().timestamp(), null,
                        e.event().totalFilesSynced(), 0, e.event().internetSpeed(), null, null, e.event().pendingFiles(),
                        null, null), e.receivedAt())
                : e).toList();
        meter.reset();
        store.putNewest(List.of(upload), "north");
        assertEquals(1.0, meter.writeUnits(), 1e-9, "ten successful events: one item under 1 KB");

        store.putNewest(List.of(upload), "south"); // a redelivery's write, after the device moved

        List<Map<String, AttributeValue>> items = items();
        assertEquals(1, items.size());
        assertEquals("north", items.get(0).get("site").s(), "created once: the first write stays");
        assertEquals(upload.get(9).orderKey(), items.get(0).get("order_key").s(), "keyed by its newest event");
        assertEquals(upload, SyncEventItems.events(items.get(0)));
    }
}
