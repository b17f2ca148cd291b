package com.pisync.sweeper;

import static com.pisync.memory.DeviceBuilder.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.ports.OutboxPublisher;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.AlertTransition;
import com.pisync.memory.MemoryAlertLog;
import com.pisync.memory.MemoryAlertOutbox;
import com.pisync.memory.MemoryDevices;
import com.pisync.memory.MemoryPendingAlerts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pending-alert sweep against in-memory ports (fast, beside the function): a decommission's resolution whose
 * publish failed is published once by a later run; DecommissionAlertRetryTest (local/stack) runs it on the
 * local servers.
 */
class PendingAlertSweepLogicTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:30:00Z");
    private final MemoryDevices devices = new MemoryDevices();
    private final MemoryPendingAlerts pending = new MemoryPendingAlerts(devices);
    private final MemoryAlertOutbox outbox = new MemoryAlertOutbox(devices, new MemoryAlertLog());

    private PendingAlertSweep.Result sweep(OutboxPublisher publisher) {
        return new PendingAlertSweep(pending, devices, publisher).sweep(NOW, () -> Long.MAX_VALUE, 0);
    }

    private PendingAlertSweep.Result sweep() {
        return sweep(outbox);
    }

    /** A decommissioned device whose open alert was resolved {@code ago} before now and not announced. */
    private void decommissionedWithUnpublishedResolution(String id, Duration ago) {
        Instant at = NOW.minus(ago);
        devices.put(device(id).site("north").decommissionedAt(at).build());
        Alert open = new Alert("alert-" + id, id, "north", AlertState.OPEN, 3, at.minusSeconds(3600),
                at.minusSeconds(600), null, "disk full", null);
        pending.resolvedAtDecommission(id, new AlertTransition(AlertTransition.Kind.RECOVERED, open.resolved(at)), at);
    }

    @Test
    void aResolutionLeftByADecommissionIsPublishedOnceAndTheDeviceLeavesTheList() {
        decommissionedWithUnpublishedResolution("gone", Duration.ofMinutes(5));

        PendingAlertSweep.Result first = sweep();
        PendingAlertSweep.Result second = sweep();

        assertEquals(new PendingAlertSweep.Result(1, 1, 0, 0), first);
        assertEquals(List.of("alert-gone"), outbox.published().stream().map(t -> t.alert().alertId()).toList());
        assertEquals(AlertState.RESOLVED, outbox.published().get(0).alert().state());
        assertEquals(List.of(), devices.load("gone").outbox());
        assertFalse(pending.listed("gone"));
        assertEquals(0, second.checked());
    }

    @Test
    void anEntryYoungerThanTheClaimLeaseIsLeftToTheFunctionThatWroteIt() {
        decommissionedWithUnpublishedResolution("just-now", Duration.ofSeconds(10));

        assertEquals(0, sweep().checked());
        assertEquals(List.of(), outbox.published());
        assertTrue(pending.listed("just-now"));
    }

    @Test
    void aPublishThatFailsAgainKeepsTheDeviceForTheNextRun() {
        decommissionedWithUnpublishedResolution("gone", Duration.ofMinutes(5));
        OutboxPublisher refused = (deviceId, entries, own) -> {
            throw new IllegalStateException("SNS refused");
        };

        PendingAlertSweep.Result failed = sweep(refused);

        assertEquals(new PendingAlertSweep.Result(1, 0, 1, 0), failed);
        assertTrue(pending.listed("gone"));
        assertEquals(1, devices.load("gone").outbox().size());

        assertEquals(1, sweep().published());
        assertEquals(1, outbox.published().size());
        assertFalse(pending.listed("gone"));
    }

    @Test
    void aDeviceChangedBetweenItsReadAndLeavingIsAConflictAndLookedAtAgain() {
        decommissionedWithUnpublishedResolution("gone", Duration.ofMinutes(5));
        devices.beforeNextUpdate(() -> devices.put(devices.get("gone"))); // another writer: the version moves

        PendingAlertSweep.Result raced = sweep();

        assertEquals(new PendingAlertSweep.Result(1, 1, 0, 1), raced);
        assertTrue(pending.listed("gone"), "the stale read must not take it off the list");
        assertEquals(new PendingAlertSweep.Result(1, 0, 0, 0), sweep(), "its outbox is empty now: it leaves");
        assertFalse(pending.listed("gone"));
        assertEquals(1, outbox.published().size());
    }

    @Test
    void leavingWithAnUnpublishedEntryIsRefused() {
        decommissionedWithUnpublishedResolution("gone", Duration.ofMinutes(5));
        DeviceRecord withEntry = devices.load("gone");

        assertThrows(IllegalArgumentException.class, () -> pending.leave(withEntry));
        assertTrue(pending.listed("gone"));
    }

    @Test
    void everyPendingDeviceIsPublishedAcrossShardsAndPages() {
        IntStream.range(0, 230).forEach(i -> decommissionedWithUnpublishedResolution("d-" + i,
                Duration.ofMinutes(5 + i % 7)));

        PendingAlertSweep.Result r = sweep();

        assertEquals(230, r.published());
        assertEquals(230, outbox.published().size());
        assertEquals(0, sweep().checked());
    }

    @Test
    void aRunWithNoTimeLeftChecksNothing() {
        decommissionedWithUnpublishedResolution("gone", Duration.ofMinutes(5));

        PendingAlertSweep.Result r = new PendingAlertSweep(pending, devices, outbox).sweep(NOW, () -> 100, 1_000);

        assertEquals(0, r.checked());
        assertTrue(pending.listed("gone"));
    }
}
