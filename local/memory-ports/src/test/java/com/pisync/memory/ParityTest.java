package com.pisync.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DynamoAlertLog;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.DynamoDeviceDirectory;
import com.pisync.aws.dynamodb.DynamoDeviceStatuses;
import com.pisync.aws.dynamodb.DynamoOfflineWatch;
import com.pisync.aws.dynamodb.DynamoSyncHistory;
import com.pisync.aws.dynamodb.DynamoSyncRequestLog;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.PendingAlerts;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.aws.ports.AlertLog;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.DeviceStatuses;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.PendingAlertWatch;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncRequest;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The in-memory ports answer as the DynamoDB ones do: the same fleet written through the real stores on the
 * DynamoDB engine, and copied into memory, lists the same ids in the same order, page after page, for every
 * access pattern (positions are opaque and may differ).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParityTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:30:00Z");
    private static final int PAGE = 3;

    private DynamoDeviceDirectory dynamoDevices;
    private DynamoOfflineWatch dynamoWatch;
    private DynamoSyncHistory dynamoHistory;
    private DynamoAlertLog dynamoAlerts;
    private DynamoDbClient dynamo;
    private IndexPager pager;
    private SyncEventStore dynamoLedger;
    private SyncRequestStore dynamoRequests;
    private DynamoSyncRequestLog dynamoRequestLog;
    private final MemorySyncRequestLog memoryRequests = new MemorySyncRequestLog();
    private final MemoryAlertLog memoryAlerts = new MemoryAlertLog();
    private final MemoryDevices memoryDevices = new MemoryDevices();
    private final MemorySyncHistory memoryHistory = new MemorySyncHistory();
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    void fleet() {
        dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint());
        PiSyncConfig config = newTables("p");
        pager = new IndexPager(dynamo, Executors.newFixedThreadPool(4));
        dynamoDevices = new DynamoDeviceDirectory(dynamo, pager, config.devicesTable());
        dynamoWatch = new DynamoOfflineWatch(dynamo, config.devicesTable());
        dynamoHistory = new DynamoSyncHistory(dynamo, pager, config.syncEventsTable());
        DeviceRegistry registry = new DeviceRegistry(dynamo, config.devicesTable());
        DeviceStore store = new DeviceStore(dynamo, config.devicesTable());
        SyncEventStore events = new SyncEventStore(dynamo, config.syncEventsTable(), Duration.ofDays(90));
        dynamoLedger = events;
        dynamoRequests = new SyncRequestStore(dynamo, config.syncRequestsTable());
        dynamoRequestLog = new DynamoSyncRequestLog(pager, config.syncRequestsTable());
        String[] sites = {"north", "south", "east"};
        String[] names = {"Lab", "lab annex", "Library", "Gym", "Hall"};
        for (int i = 0; i < 30; i++) {
            String id = String.format("pi-%02d", (i * 7) % 30); // registered out of id order
            ids.add(id);
            String site = sites[i % 3];
            registry.register(new DeviceProfile(id, names[i % 5] + " " + i, i % 4 == 0 ? "PiBox" : "PiBook", site,
                    List.of()), NOW.minus(Duration.ofDays(10)));
            if (i % 5 == 4) {
                continue; // never synced
            }
            boolean failed = i % 3 == 1;
            int count = failed ? 3 + i % 4 : 1;
            Instant received = NOW.minus(Duration.ofHours(i % 2 == 0 ? 30 + i : 1 + i % 3));
            List<ReceivedSyncEvent> batch = new ArrayList<>();
            for (int k = count; k >= 1; k--) {
                Instant at = received.minusSeconds(60L * k);
                long pending = i % 6 == 0 ? 0 : i;
                batch.add(new ReceivedSyncEvent(new SyncEvent(id, id + "-" + k, at, null, 10, failed ? 2 : 0, 8.5,
                        failed ? "NET" : null, null, pending, null, pending > 0 ? at.minus(Duration.ofHours(i)) : null),
                        received));
            }
            commit(store, id, batch, received);
            // one upload: on the table an upload item (and error entries) when it has two events or more
            events.putNewest(List.of(batch), site);
            memoryHistory.putNewest(List.of(batch), site);
        }
        registry.decommission("pi-07", NOW.minus(Duration.ofDays(1)));
        dynamoAlerts = new DynamoAlertLog(pager, config.alertsTable());
        AlertStore alerts = new AlertStore(dynamo, config.alertsTable());
        for (int i = 0; i < 14; i++) {
            Instant opened = NOW.minus(Duration.ofMinutes(10L * (i / 2))); // two alerts per opening time
            AlertState state = i % 3 == 0 ? AlertState.RESOLVED : AlertState.OPEN;
            Alert a = new Alert(String.format("alert-%02d", (i * 5) % 14), "pi-0" + (i % 4), sites[i % 3], state, 3,
                    opened.minusSeconds(90), opened, state == AlertState.RESOLVED ? opened.plusSeconds(30) : null,
                    "disk full", null);
            alerts.put(a);
            memoryAlerts.put(a);
        }
        ids.forEach(id -> memoryDevices.put(dynamoDevices.get(id)));
    }

    /** A fresh set of tables, named with {@code prefix} and a random part. */
    private PiSyncConfig newTables(String prefix) {
        PiSyncConfig config = PiSyncConfig.from(Map.of())
                .withResources(prefix + UUID.randomUUID().toString().substring(0, 8) + "-", null, null);
        Tables.createIfMissing(dynamo, config, false);
        return config;
    }

    private static void commit(DeviceStore store, String id, List<ReceivedSyncEvent> batch, Instant received) {
        DeviceStateUpdater updater = new DeviceStateUpdater(3);
        DeviceRecord before = store.load(id);
        DeviceStateUpdater.Result r = updater.apply(before.state(), batch, before.site(), key -> FailureStreak.NONE,
                received);
        DeviceStatus status = DeviceStatus.of(false, r.state(), 3, Duration.ofHours(24), received);
        assertTrue(store.commit(before, r.state(), status, Set.of(), List.of(), before.failureDays(), received));
    }

    /** Every page of one access pattern, concatenated. */
    private static <T> List<T> all(BiFunction<String, Integer, Page<T>> read) {
        List<T> out = new ArrayList<>();
        String after = null;
        do {
            Page<T> p = read.apply(after, PAGE);
            out.addAll(p.items());
            after = p.nextAfter();
        } while (after != null);
        return out;
    }

    private void same(BiFunction<DeviceDirectory, String, Page<String>> pattern, String what) {
        List<String> expected = all((after, limit) -> pattern.apply(dynamoDevices, after));
        List<String> actual = all((after, limit) -> pattern.apply(memoryDevices, after));
        assertEquals(expected, actual, what);
    }

    @Test
    void deviceListsMatchPageForPage() {
        same((d, a) -> d.page(DeviceDirectory.Filter.ALL, a, PAGE), "all devices");
        same((d, a) -> d.page(DeviceDirectory.Filter.ofSite("north"), a, PAGE), "by site");
        same((d, a) -> d.page(new DeviceDirectory.Filter(List.of("north", "south"), null, null), a, PAGE), "sites");
        same((d, a) -> d.page(new DeviceDirectory.Filter(null, "failing", null), a, PAGE), "by status");
        same((d, a) -> d.page(new DeviceDirectory.Filter(null, "never_synced", null), a, PAGE), "never synced");
        same((d, a) -> d.page(new DeviceDirectory.Filter(List.of("south"), "healthy", null), a, PAGE), "site+status");
        same((d, a) -> d.page(new DeviceDirectory.Filter(null, "decommissioned", null), a, PAGE), "decommissioned");
        same((d, a) -> d.idsStartingWith("pi-1", a, PAGE), "id prefix");
        same((d, a) -> d.namesStartingWith("lab", a, PAGE), "name prefix");
        same((d, a) -> d.failing(a, PAGE), "failing");
        same((d, a) -> d.atRisk(null, null, a, PAGE), "at risk");
        same((d, a) -> d.atRisk(List.of("north"), NOW.minus(Duration.ofHours(20)), a, PAGE), "at risk, site, hours");
        assertEquals(30, all((a, l) -> dynamoDevices.page(DeviceDirectory.Filter.ALL, a, l)).size());
        assertTrue(all((a, l) -> dynamoDevices.failing(a, l)).size() >= 3, "the fleet has failing devices");
        assertTrue(all((a, l) -> dynamoDevices.atRisk(null, null, a, l)).size() >= 3, "the fleet has data at risk");
    }

    @Test
    void typeFilterMatchesOnceShortPagesAreFollowed() {
        same((d, a) -> d.page(new DeviceDirectory.Filter(null, null, "PiBox"), a, PAGE), "type");
    }

    @Test
    void offlineWatchMatchesShardByShard() {
        int due = 0;
        for (int s = 0; s < Shards.COUNT; s++) {
            String shard = Shards.name(s);
            List<String> expected = all((a, l) -> dynamoWatch.due(shard, NOW, a, l));
            assertEquals(expected, all((a, l) -> memoryDevices.due(shard, NOW, a, l)), "shard " + shard);
            due += expected.size();
        }
        assertTrue(due >= 3, "some devices are due");
    }

    @Test
    void historyAndErrorsMatch() {
        for (String id : List.of("pi-00", "pi-07", "pi-21", "pi-04")) {
            assertEquals(events(all((a, l) -> dynamoHistory.newestFirst(id, a, l))),
                    events(all((a, l) -> memoryHistory.newestFirst(id, a, l))), id);
        }
        for (List<String> sites : java.util.Arrays.asList(null, List.of("north"), List.of("north", "south"))) {
            List<String> expected = events(all((a, l) -> dynamoHistory.failedNewestFirst(sites, YearMonth.of(2026, 12),
                    NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(1)), a, l)));
            assertEquals(expected, events(all((a, l) -> memoryHistory.failedNewestFirst(sites, YearMonth.of(2026, 12),
                    NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(1)), a, l))), "errors of " + sites);
            assertTrue(sites != null || expected.size() >= 3, "the fleet has failures");
        }
    }

    @Test
    void alertListsMatch() {
        List<AlertLog.Filter> filters = java.util.Arrays.asList(new AlertLog.Filter(null, null, null),
                new AlertLog.Filter("open", null, null), new AlertLog.Filter("resolved", null, null),
                new AlertLog.Filter(null, "pi-01", null), new AlertLog.Filter("open", "pi-02", null),
                new AlertLog.Filter(null, null, List.of("north")), new AlertLog.Filter("open", null,
                        List.of("north", "east")), new AlertLog.Filter(null, "pi-00", List.of("south")));
        for (AlertLog.Filter f : filters) {
            List<String> expected = all((a, l) -> dynamoAlerts.newestFirst(f, a, l)).stream().map(Alert::alertId)
                    .toList();
            assertEquals(expected, all((a, l) -> memoryAlerts.newestFirst(f, a, l)).stream().map(Alert::alertId)
                    .toList(), f.toString());
        }
        assertEquals(14, all((a, l) -> dynamoAlerts.newestFirst(filters.get(0), a, l)).size());
    }

    @Test
    void ledgerAnswersWhichKeysAreStoredAndTheFailuresAfterAKey() {
        for (String id : List.of("pi-00", "pi-07", "pi-21", "pi-04", "pi-28")) {
            List<String> stored = all((a, l) -> memoryHistory.newestFirst(id, a, l)).stream()
                    .map(SyncHistory.Entry::position).toList();
            List<String> asked = new ArrayList<>(stored);
            asked.add("t0000000000000#absent");
            asked.add("t9999999999999#absent");
            for (boolean consistent : List.of(true, false)) {
                assertEquals(dynamoLedger.storedKeys(id, asked, consistent),
                        memoryHistory.storedKeys(id, asked, consistent), id);
            }
            assertEquals(Set.copyOf(stored), memoryHistory.storedKeys(id, asked, true), id);
            for (int i = 0; i < stored.size(); i++) { // each alone, and each run up to it (inside an upload item)
                assertEquals(Set.of(stored.get(i)), dynamoLedger.storedKeys(id, List.of(stored.get(i)), true), id);
                assertEquals(Set.copyOf(stored.subList(i, stored.size())),
                        dynamoLedger.storedKeys(id, stored.subList(i, stored.size()), false), id);
            }
            for (String key : asked) {
                assertEquals(dynamoLedger.failuresAfter(id, key), memoryHistory.failuresAfter(id, key), id + " " + key);
            }
        }
    }

    /**
     * The same commits (and a sweeper's status write between them) on both: the version guard refuses the same
     * stale ones, and the device ends the same, for a device that reports before it is registered and for one
     * registered first. (Tables of its own: the fleet's lists stay as they are.)
     */
    @Test
    void versionGuardedCommitsSucceedAndFailAlike() {
        PiSyncConfig config = newTables("c");
        DeviceStore dynamoCommits = new DeviceStore(dynamo, config.devicesTable());
        DynamoDeviceStatuses dynamoStatuses = new DynamoDeviceStatuses(dynamo, config.devicesTable());
        MemoryDevices memory = new MemoryDevices();
        new DeviceRegistry(dynamo, config.devicesTable()).register(
                new DeviceProfile("c-reg", "Commit", "PiBook", "north", List.of()), NOW.minusSeconds(600));
        memory.put(new DynamoDeviceDirectory(dynamo, pager, config.devicesTable()).get("c-reg"));
        for (String id : List.of("c-new", "c-reg")) {
            List<Boolean> expected = commits(dynamoCommits, dynamoStatuses, id);
            assertEquals(List.of(true, false, true, false, true), expected, id);
            assertEquals(expected, commits(memory, memory, id), id);
            DeviceRecord table = dynamoCommits.load(id, true);
            DeviceRecord stored = memory.load(id, true);
            assertEquals(table.version(), stored.version(), id);
            assertEquals(table.state(), stored.state(), id);
            assertEquals(table.site(), stored.site(), id);
            assertEquals(table.inflight(), stored.inflight(), id);
            assertEquals(table.failureDays(), stored.failureDays(), id);
            assertEquals(table.storedStatus(), stored.storedStatus(), id);
            assertEquals(table.offlineAt(), stored.offlineAt(), id);
            assertEquals(table.calendarAt(), stored.calendarAt(), id);
            assertEquals(transitions(table), transitions(stored), id);
            assertEquals(1, transitions(stored).size(), "the third failure opened an alert");
        }
    }

    /** Commit, the same read again (stale), read and commit, a status write, stale again, read and commit. */
    private static List<Boolean> commits(DeviceCommits store, DeviceStatuses statuses, String id) {
        List<Boolean> results = new ArrayList<>();
        DeviceRecord first = store.load(id, true);
        results.add(commitFailures(store, first, id, 1, 2));
        results.add(commitFailures(store, first, id, 3, 3));
        DeviceRecord second = store.load(id, true);
        results.add(commitFailures(store, second, id, 3, 3));
        assertTrue(statuses.updateStatus(statuses.load(id), DeviceStatus.OFFLINE, null));
        results.add(commitFailures(store, second, id, 4, 4));
        results.add(commitFailures(store, store.load(id, true), id, 4, 4));
        return results;
    }

    /** Applies failed events {@code from}..{@code to} to {@code before} and commits them with their keys in flight. */
    private static boolean commitFailures(DeviceCommits store, DeviceRecord before, String id, int from, int to) {
        List<ReceivedSyncEvent> batch = new ArrayList<>();
        for (int k = from; k <= to; k++) {
            Instant at = NOW.minus(Duration.ofMinutes(10 - k));
            batch.add(new ReceivedSyncEvent(new SyncEvent(id, "c" + k, at, null, 10, 1, 8.5, "NET", null, 2L, null),
                    NOW));
        }
        DeviceStateUpdater.Result r = new DeviceStateUpdater(3).apply(before.state(), batch, before.site(),
                key -> FailureStreak.NONE, NOW);
        DeviceStatus status = DeviceStatus.of(false, r.state(), 3, Duration.ofHours(24), NOW);
        Set<String> inflight = Set.copyOf(batch.stream().map(ReceivedSyncEvent::orderKey).toList());
        Map<String, Integer> days = com.pisync.domain.FailureDays.add(before.failureDays(),
                batch.stream().map(e -> e.event().timestamp()).toList(), NOW);
        return store.commit(before, r.state(), status, inflight, r.transitions(), days,
                new DeviceRegistry.OfflineTime(NOW.plus(Duration.ofHours(24)), Instant.ofEpochMilli(1_000)), NOW);
    }

    private static List<AlertTransition> transitions(DeviceRecord device) {
        return device.outbox().stream().map(DeviceRecord.OutboxEntry::transition).toList();
    }

    /**
     * Decommissions that resolve open alerts list their devices alike (oldest first, ties by id, only before the
     * cutoff), and taking a device off the list is refused, guarded and done alike. (Tables of its own.)
     */
    @Test
    void pendingAlertListsMatchAndLeavingIsGuardedAlike() {
        PiSyncConfig config = newTables("a");
        DeviceStore store = new DeviceStore(dynamo, config.devicesTable());
        DeviceRegistry registry = new DeviceRegistry(dynamo, config.devicesTable());
        DynamoDeviceDirectory directory = new DynamoDeviceDirectory(dynamo, pager, config.devicesTable());
        PendingAlerts dynamoPending = new PendingAlerts(dynamo, config.devicesTable());
        MemoryDevices memory = new MemoryDevices();
        MemoryPendingAlerts memoryPending = new MemoryPendingAlerts(memory);
        for (int i = 0; i < 14; i++) {
            String id = "a-" + i;
            registry.register(new DeviceProfile(id, "A " + i, "PiBook", "north", List.of()), NOW.minusSeconds(86400));
            assertTrue(commitFailures(store, store.load(id, true), id, 1, 3), "three failures open an alert");
            Instant at = NOW.minus(Duration.ofMinutes(5L * (i / 2))); // two per time: ties go by id
            registry.decommission(id, at);
            memory.put(directory.get(id));
            List<DeviceRecord.OutboxEntry> outbox = store.load(id, true).outbox();
            memoryPending.resolvedAtDecommission(id, outbox.get(outbox.size() - 1).transition(), at);
        }
        int listed = 0;
        for (int s = 0; s < Shards.COUNT; s++) {
            String shard = Shards.name(s);
            List<String> expected = all((a, l) -> dynamoPending.waitingSince(shard, NOW.minusSeconds(60), a, l));
            assertEquals(expected, all((a, l) -> memoryPending.waitingSince(shard, NOW.minusSeconds(60), a, l)), shard);
            listed += expected.size();
        }
        assertEquals(12, listed, "the two decommissioned now are not due yet");

        List<String> expected = leaving(dynamoPending, store, new DynamoDeviceStatuses(dynamo, config.devicesTable()),
                () -> store.load("a-5", true).outbox().forEach(e -> {
                    store.claimOutbox("a-5", e.attribute(), "parity", NOW, NOW.plusSeconds(60));
                    store.completeOutbox("a-5", e.attribute(), "parity");
                }));
        assertEquals(List.of("refused", "stale: false", "fresh: true"), expected);
        assertEquals(expected, leaving(memoryPending, memory, memory, () -> memory.load("a-5").outbox()
                .forEach(e -> memory.removeOutboxEntry("a-5", e.attribute()))));
        String shard = Shards.of("a-5");
        List<String> after = all((a, l) -> dynamoPending.waitingSince(shard, NOW, a, l));
        assertEquals(after, all((a, l) -> memoryPending.waitingSince(shard, NOW, a, l)));
        assertFalse(after.contains("a-5"), "it left the list");
    }

    /** Leave with entries, empty the outbox, leave from a read a status write made stale, leave from a fresh read. */
    private static List<String> leaving(PendingAlertWatch watch, DeviceCommits store, DeviceStatuses statuses,
            Runnable emptyOutbox) {
        List<String> results = new ArrayList<>();
        try {
            results.add("left with entries: " + watch.leave(store.load("a-5", true)));
        } catch (IllegalArgumentException e) {
            results.add("refused");
        }
        emptyOutbox.run();
        DeviceRecord stale = store.load("a-5", true);
        assertTrue(statuses.updateStatus(statuses.load("a-5"), DeviceStatus.DECOMMISSIONED, null));
        results.add("stale: " + watch.leave(stale));
        results.add("fresh: " + watch.leave(store.load("a-5", true)));
        return results;
    }

    @Test
    void syncRequestsTakeOnlyTheirFirstAnswer() {
        List<SyncRequest> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SyncRequest r = SyncRequest.queue("r-1", NOW.minus(Duration.ofMinutes(30 - i)), SyncRequest.DEFAULT_TTL);
            made.add(r);
            dynamoRequests.create(r);
            memoryRequests.put(r);
        }
        for (com.pisync.aws.ports.SyncRequestAnswers answers
                : List.<com.pisync.aws.ports.SyncRequestAnswers>of(dynamoRequests, memoryRequests)) {
            answers.complete("r-1", made.get(0).requestId(), true, "ev-1", NOW);
            answers.complete("r-1", made.get(0).requestId(), false, "ev-2", NOW.plusSeconds(5)); // too late
            answers.complete("r-1", made.get(1).requestId(), false, "ev-3", NOW);
            answers.complete("r-1", "req_unknown", true, "ev-4", NOW);
            answers.complete("r-2", made.get(2).requestId(), true, "ev-5", NOW); // another device's answer
        }
        List<SyncRequest> expected = all((a, l) -> dynamoRequestLog.newestFirst("r-1", a, l));
        assertEquals(expected, all((a, l) -> memoryRequests.newestFirst("r-1", a, l)));
        assertEquals(List.of(SyncRequest.Status.QUEUED, SyncRequest.Status.FAILED, SyncRequest.Status.COMPLETED),
                expected.stream().map(SyncRequest::status).toList());
    }

    private static List<String> events(List<SyncHistory.Entry> entries) {
        return entries.stream().map(e -> e.event().event().eventId() + "@" + e.site()).toList();
    }
}
