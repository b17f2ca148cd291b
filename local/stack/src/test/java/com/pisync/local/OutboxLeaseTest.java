package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.alerts.AlertOutbox;
import com.pisync.aws.alerts.AlertPublisher;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The processor's commit writes its alert transitions already claimed (contract: one notification per condition):
 * the committer publishes them with one write of the device item (the removal) instead of two, and another
 * publisher finds them held until the lease ends. On the DynamoDB engine and the SNS emulator.
 */
class OutboxLeaseTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final RequestMeter dynamoMeter = new RequestMeter();
    private final RequestMeter snsMeter = new RequestMeter();
    private final DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint(), dynamoMeter);
    private final SnsClient sns = LocalClients.sns(TestBed.shared().sns().endpoint(), snsMeter);
    private final PiSyncConfig config = PiSyncConfig.from(Map.of())
            .withResources("l" + UUID.randomUUID().toString().substring(0, 8) + "-", null, null);
    private final DeviceStore devices = new DeviceStore(dynamo, config.devicesTable());

    private AlertOutbox outbox(Instant at) {
        String topic = sns.createTopic(b -> b.name(config.devicesTable().replace("devices", "alerts"))).topicArn();
        return new AlertOutbox(devices, new AlertStore(dynamo, config.alertsTable()), new AlertPublisher(sns, topic),
                Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void theCommitterPublishesWithoutAClaimWriteAndOthersWaitForTheLease() {
        DeviceCommits.OutboxLease lease = DeviceCommits.OutboxLease.from(NOW);
        List<DeviceRecord.OutboxEntry> entries = alertCommittedUnder("lease-1", lease);
        assertEquals(1, entries.size(), "the third failure opened an alert");
        assertEquals(lease.holder(), entries.get(0).claim());
        assertEquals(NOW.plus(DeviceCommits.OutboxLease.DURATION).toEpochMilli(), entries.get(0).claimedUntil());

        // Another publisher (a redelivery in another container) finds the entry held and publishes nothing.
        assertThrows(AlertOutbox.EntryHeld.class, () -> outbox(NOW.plusSeconds(5)).flush("lease-1", entries));
        assertEquals(0, snsMeter.requests("Sns.Publish"));
        assertEquals(1, devices.load("lease-1", true).outbox().size());

        // The committer: no claim write, one removal; one message.
        dynamoMeter.reset();
        outbox(NOW.plusSeconds(1)).flush("lease-1", entries, lease);
        assertEquals(1, snsMeter.requests("Sns.Publish"));
        assertEquals(1, dynamoMeter.requests("DynamoDb.UpdateItem"), dynamoMeter.requests().toString());
        assertTrue(devices.load("lease-1", true).outbox().isEmpty());
        assertNotNull(new AlertStore(dynamo, config.alertsTable()).get(entries.get(0).transition().alert().alertId()));

        // Flushing again (a redelivery: a fresh read, or the entries read before) publishes nothing more.
        outbox(NOW.plusSeconds(2)).flush("lease-1", devices.load("lease-1", true).outbox(), lease);
        outbox(NOW.plusSeconds(120)).flush("lease-1", entries);
        assertEquals(1, snsMeter.requests("Sns.Publish"));
    }

    @Test
    void aLeaseTooCloseToItsEndIsNotUsedAndTheEntryWaitsForIt() {
        DeviceCommits.OutboxLease lease = DeviceCommits.OutboxLease.from(NOW);
        List<DeviceRecord.OutboxEntry> entries = alertCommittedUnder("lease-2", lease);

        // 50 s after the commit, 10 s are left of the lease: too little to publish under it safely.
        assertThrows(AlertOutbox.EntryHeld.class, () -> outbox(NOW.plusSeconds(50)).flush("lease-2", entries, lease));
        assertEquals(0, snsMeter.requests("Sns.Publish"));
        // Once it has ended, anyone claims the entry and publishes it once.
        outbox(NOW.plus(Duration.ofSeconds(61))).flush("lease-2", entries);
        assertEquals(1, snsMeter.requests("Sns.Publish"));
        assertTrue(devices.load("lease-2", true).outbox().isEmpty());
    }

    /** A registered device whose commit of three failures (opening an alert) was written under {@code lease}. */
    private List<DeviceRecord.OutboxEntry> alertCommittedUnder(String id, DeviceCommits.OutboxLease lease) {
        Tables.createIfMissing(dynamo, config, false);
        new DeviceRegistry(dynamo, config.devicesTable()).register(
                new com.pisync.domain.DeviceProfile(id, "Lease", "PiBook", "north", List.of()), NOW.minusSeconds(600));
        assertTrue(commitThreeFailures(devices.load(id, true), lease));
        return devices.load(id, true).outbox();
    }

    private boolean commitThreeFailures(DeviceRecord before, DeviceCommits.OutboxLease lease) {
        String id = before.state().deviceId();
        List<ReceivedSyncEvent> batch = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            batch.add(new ReceivedSyncEvent(new SyncEvent(id, "f" + k, NOW.minusSeconds(60 - k), null, 10, 1, 8.5, "NET",
                    null, (long) k, null), NOW));
        }
        DeviceStateUpdater.Result r = new DeviceStateUpdater(3).apply(before.state(), batch, before.site(),
                key -> FailureStreak.NONE, NOW);
        DeviceStatus status = DeviceStatus.of(false, r.state(), 3, Duration.ofHours(24), NOW);
        return devices.commit(before, r.state(), status, Set.of(), r.transitions(), before.failureDays(),
                new DeviceRegistry.OfflineTime(NOW.plus(Duration.ofHours(24)), null), NOW, lease);
    }
}
