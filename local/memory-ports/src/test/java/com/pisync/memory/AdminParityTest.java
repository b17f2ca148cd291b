package com.pisync.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.aws.dynamodb.DynamoDeviceDirectory;
import com.pisync.aws.dynamodb.DynamoDeviceRegistrar;
import com.pisync.aws.dynamodb.DynamoSyncRequestQueue;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.aws.ports.DeviceRegistrar;
import com.pisync.aws.ports.SyncRequestQueue;
import com.pisync.aws.views.Views;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncRequest;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The admin's ports (ParityTest's companion): the in-memory registrar, sync request queue, credentials and site
 * names answer as the DynamoDB ones do on the DynamoDB engine, and leave the same devices and audit entries.
 */
class AdminParityTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:30:00Z");
    private static final Views.StatusPolicy POLICY = new Views.StatusPolicy(3, Duration.ofHours(24));

    private final DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint());
    private final PiSyncConfig config = newTables();
    private final DynamoAuditLog dynamoAudit = new DynamoAuditLog(dynamo, config.auditTable());
    private final MemoryAuditLog memoryAudit = new MemoryAuditLog();

    private PiSyncConfig newTables() {
        PiSyncConfig c = PiSyncConfig.from(Map.of())
                .withResources("a" + UUID.randomUUID().toString().substring(0, 8) + "-", null, null);
        Tables.createIfMissing(dynamo, c, false);
        return c;
    }

    private static AuditContext request(String id) {
        return new AuditContext("alice", id, "203.0.113.9", NOW);
    }

    /** What a registrar answer shows: a device as the API shows it, with its registry facts; else the answer. */
    private static Object seen(Object answer) {
        if (answer instanceof Device d) {
            return List.of(Views.device(d, POLICY, NOW), d.tokenVersion(), String.valueOf(d.registeredAt()),
                    String.valueOf(d.decommissionedAt()), String.valueOf(d.storedStatus()),
                    String.valueOf(d.offlineAt()));
        }
        return String.valueOf(answer);
    }

    @Test
    void registryChangesAnswerAndAuditAlike() {
        DeviceRegistrar onTable = new DynamoDeviceRegistrar(new DeviceRegistry(dynamo, config.devicesTable()),
                dynamoAudit);
        MemoryDevices devices = new MemoryDevices();
        DeviceRegistrar inMemory = new MemoryDeviceRegistrar(devices, new MemoryPendingAlerts(devices), memoryAudit,
                DeviceRegistry.OfflineTimes.NO_CALENDAR, Clock.fixed(NOW, ZoneOffset.UTC));
        reportedBeforeRegistration("pi-early", devices);
        DeviceProfile lab = new DeviceProfile("pi-r", "Lab", "PiBook", "north", List.of("a"));
        List<Function<DeviceRegistrar, Object>> steps = List.of(
                r -> r.register(lab, request("q1")),
                r -> r.register(lab, request("q2")), // exists: null
                r -> r.register(lab, request("q1")), // a retry: as the first time
                r -> r.patch("pi-r", new DeviceProfile(null, "Lab 2", null, "south", null), request("q3")),
                r -> r.patch("pi-r", new DeviceProfile(null, null, null, null, List.of("b", "c")), request("q4")),
                r -> r.patch("pi-none", new DeviceProfile(null, "x", null, null, null), request("q5")),
                r -> r.rotateToken("pi-r", request("q6")),
                r -> r.rotateToken("pi-r", request("q6")), // a retry
                r -> r.rotateToken("pi-none", request("q7")),
                r -> r.decommission("pi-r", request("q8")),
                r -> r.decommission("pi-r", request("q9")),
                r -> r.decommission("pi-none", request("q10")),
                r -> r.rotateToken("pi-r", request("q11")),
                r -> r.get("pi-r", true),
                r -> r.register(new DeviceProfile("pi-early", "Early", "PiBox", "east", List.of()), request("q12")));
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(seen(steps.get(i).apply(onTable)), seen(steps.get(i).apply(inMemory)), "step " + i);
        }
        List<AuditEntry> written = memoryAudit.entries();
        assertEquals(6, written.size(), written.toString());
        for (AuditEntry e : written) {
            // as text: a number read back from the table is an int node where memory holds the long written
            assertEquals(e.toString(), String.valueOf(dynamoAudit.get(e.auditId())), e.action());
        }
        assertEquals(written.size(), dynamo.scan(r -> r.tableName(config.auditTable())).count());
    }

    /** A device that synced before it was registered, on the table and copied into memory. */
    private void reportedBeforeRegistration(String id, MemoryDevices devices) {
        DeviceStore store = new DeviceStore(dynamo, config.devicesTable());
        Instant received = NOW.minus(Duration.ofHours(2));
        List<ReceivedSyncEvent> batch = List.of(new ReceivedSyncEvent(new SyncEvent(id, id + "-1",
                received.minusSeconds(60), null, 10, 0, 8.5, null, null, 0L, null, null), received));
        DeviceRecord before = store.load(id);
        DeviceStateUpdater.Result r = new DeviceStateUpdater(3).apply(before.state(), batch, before.site(),
                key -> FailureStreak.NONE, received);
        DeviceStatus status = DeviceStatus.of(false, r.state(), 3, Duration.ofHours(24), received);
        assertTrue(store.commit(before, r.state(), status, Set.of(), List.of(), before.failureDays(), received));
        devices.put(new DynamoDeviceDirectory(dynamo, new IndexPager(dynamo, Executors.newSingleThreadExecutor()),
                config.devicesTable()).get(id));
    }

    @Test
    void syncRequestsQueueAndCountAlike() {
        SyncRequestStore store = new SyncRequestStore(dynamo, config.syncRequestsTable());
        SyncRequestQueue onTable = new DynamoSyncRequestQueue(store, dynamoAudit);
        SyncRequestQueue inMemory = new MemorySyncRequestQueue(new MemorySyncRequestLog(), memoryAudit);
        List<SyncRequest> made = List.of(SyncRequest.queue("pi-q", NOW.minusSeconds(120), Duration.ofMinutes(1)),
                SyncRequest.queue("pi-q", NOW, Duration.ofHours(1)), SyncRequest.queue("pi-q", NOW, Duration.ofHours(2)));
        List<String> answers = new ArrayList<>();
        for (SyncRequestQueue queue : List.of(onTable, inMemory)) {
            for (int i = 0; i < made.size(); i++) {
                answers.add("queued " + queue.queue(made.get(i), entry("s" + i)));
            }
            SyncRequest another = SyncRequest.queue("pi-q", NOW, Duration.ofHours(1));
            answers.add("retried " + queue.queue(another, entry("s0"))); // this request queued one already
            assertThrows(IllegalStateException.class, () -> queue.queue(made.get(1), entry("s-new")));
            answers.add("open " + queue.openCount("pi-q", NOW) + ", later " + queue.openCount("pi-q",
                    NOW.plus(Duration.ofMinutes(90))) + ", other " + queue.openCount("pi-other", NOW));
        }
        assertEquals(answers.subList(0, 5), answers.subList(5, 10));
        assertEquals(List.of("queued true", "queued true", "queued true", "retried false", "open 2, later 1, other 0"),
                answers.subList(0, 5));
    }

    private static AuditEntry entry(String requestId) {
        return request(requestId).entry("sync_request.create", "device", "pi-q", null, null);
    }

    @Test
    void credentialsOnlyMoveForwardAlike() {
        SyncRequestStore store = new SyncRequestStore(dynamo, config.syncRequestsTable());
        MemoryDeviceCredentials memory = new MemoryDeviceCredentials();
        long[][] puts = {{3, 0}, {2, 0}, {3, 1}, {3, 0}, {4, 0}};
        for (long[] put : puts) {
            store.putCredential("pi-c", put[0], put[1] == 1);
            memory.putCredential("pi-c", put[0], put[1] == 1);
            SyncRequestStore.Inbox inbox = store.inbox("pi-c", NOW);
            assertEquals(new MemoryDeviceCredentials.Credential(inbox.tokenVersion(), inbox.revoked()),
                    memory.get("pi-c"), "after " + put[0] + "/" + put[1]);
        }
    }

    @Test
    void aNamedSiteReadsAsTheDefaultsAlike() {
        SiteStore store = new SiteStore(dynamo, config.sitesTable());
        MemorySites memory = new MemorySites();
        store.ensureNamed("west", NOW);
        memory.ensureNamed("west", NOW);
        store.ensureNamed("west", NOW.plusSeconds(60));
        memory.ensureNamed("west", NOW.plusSeconds(60));

        assertEquals(store.get("west", true), memory.get("west"));
        assertEquals(store.get("nowhere", true), memory.get("nowhere"));
    }
}
