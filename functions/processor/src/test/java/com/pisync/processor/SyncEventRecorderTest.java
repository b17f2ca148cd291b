package com.pisync.processor;

import static com.pisync.memory.DeviceBuilder.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.ports.EventLedger;
import com.pisync.domain.AlertState;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncRequest;
import com.pisync.memory.MemoryAlertLog;
import com.pisync.memory.MemoryAlertOutbox;
import com.pisync.memory.MemoryDevices;
import com.pisync.memory.MemorySyncHistory;
import com.pisync.memory.MemorySyncRequestLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once protocol of the recorder against in-memory ports (fast, beside the function): duplicates,
 * order, alerts, a crash between commit and history, concurrent writers. SyncPipelineTest and the reliability
 * tests of local/stack run the same recorder on the local servers.
 */
class SyncEventRecorderTest {

    private static final String ID = "pi-1";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Instant T0 = NOW.minus(Duration.ofHours(2));

    private final MemoryDevices devices = new MemoryDevices();
    private final MemorySyncHistory history = new MemorySyncHistory();
    private final MemorySyncRequestLog requests = new MemorySyncRequestLog();
    private final MemoryAlertLog alerts = new MemoryAlertLog();
    private final MemoryAlertOutbox outbox = new MemoryAlertOutbox(devices, alerts);
    private final SyncEventRecorder recorder = recorder(history);

    private SyncEventRecorder recorder(EventLedger ledger) {
        return new SyncEventRecorder(devices, ledger, requests, outbox, new DeviceStateUpdater(3),
                DeviceRegistry.OfflineTimes.NO_CALENDAR, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ReceivedSyncEvent ok(String eventId, int minute) {
        return event(eventId, minute, false, null);
    }

    private static ReceivedSyncEvent failed(String eventId, int minute) {
        return event(eventId, minute, true, null);
    }

    /** Device time {@code minute} minutes after T0; pending files say which event was newest. */
    private static ReceivedSyncEvent event(String eventId, int minute, boolean failed, String commandId) {
        return new ReceivedSyncEvent(new SyncEvent(ID, eventId, T0.plus(Duration.ofMinutes(minute)), null, 10,
                failed ? 2 : 0, 8.5, failed ? "E_DISK" : null, failed ? "disk full " + eventId : null, (long) minute,
                commandId), NOW);
    }

    private DeviceState state() {
        return devices.load(ID).state();
    }

    private List<String> storedEventIds() {
        return history.newestFirst(ID, null, 100).items().stream().map(e -> e.event().event().eventId()).toList();
    }

    private List<AlertTransition.Kind> published() {
        return outbox.published().stream().map(AlertTransition::kind).toList();
    }

    @Test
    void anEventDeliveredTwiceIsStoredOnceAndCountedOnce() {
        SyncEventRecorder.Outcome first = recorder.record(ID, List.of(ok("e1", 1)));
        SyncEventRecorder.Outcome again = recorder.record(ID, List.of(ok("e1", 1)));
        SyncEventRecorder.Outcome twiceInOneBatch = recorder.record(ID, List.of(ok("e2", 2), ok("e2", 2)));

        assertEquals(new SyncEventRecorder.Outcome(1, 0, 0), first);
        assertEquals(new SyncEventRecorder.Outcome(0, 1, 0), again);
        assertEquals(new SyncEventRecorder.Outcome(1, 1, 0), twiceInOneBatch);
        assertEquals(2, state().totalSyncs());
        assertEquals(List.of("e2", "e1"), storedEventIds());
    }

    @Test
    void everyDeliveryOrderEndsInTheStateOfDeviceOrder() {
        // A success late inside a streak (s4 after f5) makes the recorder ask the history for the failures after it.
        List<ReceivedSyncEvent> inOrder = List.of(failed("f1", 1), failed("f2", 2), failed("f3", 3), ok("s4", 4),
                failed("f5", 5));
        inOrder.forEach(e -> recorder.record(ID, List.of(e)));
        DeviceState expected = state();
        assertEquals(5, expected.totalSyncs());
        assertEquals(1, expected.consecutiveFailures());

        for (List<ReceivedSyncEvent> order : permutations(inOrder)) {
            MemoryDevices otherDevices = new MemoryDevices();
            MemorySyncHistory otherHistory = new MemorySyncHistory();
            SyncEventRecorder other = new SyncEventRecorder(otherDevices, otherHistory, new MemorySyncRequestLog(),
                    new MemoryAlertOutbox(otherDevices, new MemoryAlertLog()), new DeviceStateUpdater(3),
                    DeviceRegistry.OfflineTimes.NO_CALENDAR, Clock.fixed(NOW, ZoneOffset.UTC));
            order.forEach(e -> other.record(ID, List.of(e)));

            assertEquals(expected, otherDevices.load(ID).state(), "delivered as " + order);
            assertEquals(storedEventIds(), otherHistory.newestFirst(ID, null, 100).items().stream()
                    .map(e -> e.event().event().eventId()).toList());
        }
    }

    @Test
    void threeFailuresInARowOpenOneAlertAFourthDoesNotAndASuccessResolvesIt() {
        devices.put(device(ID).site("north").build());

        recorder.record(ID, List.of(failed("f1", 1)));
        recorder.record(ID, List.of(failed("f2", 2)));
        assertEquals(List.of(), published());
        SyncEventRecorder.Outcome third = recorder.record(ID, List.of(failed("f3", 3)));
        SyncEventRecorder.Outcome fourth = recorder.record(ID, List.of(failed("f4", 4)));
        recorder.record(ID, List.of(failed("f3", 3))); // a redelivery publishes nothing again

        assertEquals(1, third.alertsOpened());
        assertEquals(0, fourth.alertsOpened());
        assertEquals(List.of(AlertTransition.Kind.FAILURE_STREAK), published());
        assertEquals("north", outbox.published().get(0).alert().site());
        assertEquals(4, state().openAlert().consecutiveFailures());
        assertEquals(DeviceStatus.FAILING.wireName(), devices.get(ID).storedStatus());

        recorder.record(ID, List.of(ok("s5", 5)));

        assertEquals(List.of(AlertTransition.Kind.FAILURE_STREAK, AlertTransition.Kind.RECOVERED), published());
        assertEquals(outbox.published().get(0).alert().alertId(), outbox.published().get(1).alert().alertId());
        assertEquals(AlertState.RESOLVED, outbox.published().get(1).alert().state());
        assertNull(state().openAlert());
        assertEquals(List.of(), devices.load(ID).outbox());
        assertEquals(DeviceStatus.HEALTHY.wireName(), devices.get(ID).storedStatus());
    }

    @Test
    void aCrashBetweenCommitAndHistoryIsRepairedByTheRedeliveryWithoutCountingTwice() {
        SyncEventRecorder crashing = recorder(new FailsFirstWrite(history));

        assertThrows(IllegalStateException.class, () -> crashing.record(ID, List.of(ok("e1", 1))));
        assertEquals(1, state().totalSyncs(), "committed before the crash");
        assertEquals(List.of(), storedEventIds());
        assertEquals(1, devices.load(ID).inflight().size());

        SyncEventRecorder.Outcome redelivered = crashing.record(ID, List.of(ok("e1", 1)));

        assertEquals(new SyncEventRecorder.Outcome(1, 0, 0), redelivered);
        assertEquals(1, state().totalSyncs());
        assertEquals(List.of("e1"), storedEventIds());

        crashing.record(ID, List.of(ok("e2", 2)));

        assertEquals(2, state().totalSyncs());
        assertEquals(Set.of(ok("e2", 2).orderKey()), devices.load(ID).inflight(),
                "e1's history is confirmed at the next commit and its key leaves the in-flight set");
    }

    @Test
    void anAlertCommittedBeforeACrashIsPublishedOnceByTheRedelivery() {
        recorder.record(ID, List.of(failed("f1", 1), failed("f2", 2)));
        SyncEventRecorder crashing = recorder(new FailsFirstWrite(history));

        assertThrows(IllegalStateException.class, () -> crashing.record(ID, List.of(failed("f3", 3))));
        assertEquals(List.of(), published(), "history is written before the outbox is flushed");
        assertEquals(1, devices.load(ID).outbox().size());

        crashing.record(ID, List.of(failed("f3", 3)));
        crashing.record(ID, List.of(failed("f3", 3)));

        assertEquals(List.of(AlertTransition.Kind.FAILURE_STREAK), published());
        assertEquals(3, state().totalFailures());
        assertEquals(List.of(), devices.load(ID).outbox());
    }

    @Test
    void aCommitOnAStaleVersionIsReadAgainAndRetried() {
        recorder.record(ID, List.of(ok("e1", 1)));
        // Another processor records e2 after this one read the device and before it commits.
        devices.beforeNextUpdate(() -> recorder.record(ID, List.of(ok("e2", 2))));

        SyncEventRecorder.Outcome outcome = recorder.record(ID, List.of(ok("e3", 3)));

        assertEquals(new SyncEventRecorder.Outcome(1, 0, 0), outcome);
        assertEquals(3, state().totalSyncs(), "neither commit overwrote the other");
        assertEquals(List.of("e3", "e2", "e1"), storedEventIds());
        assertEquals(3L, state().pendingFiles(), "the newest event's pending files");
    }

    @Test
    void aDeviceChangedAtEveryAttemptIsLeftForARetryWithNothingApplied() {
        recorder.record(ID, List.of(ok("e1", 1)));
        for (int i = 0; i < 8; i++) {
            devices.beforeNextUpdate(() -> devices.put(devices.get(ID))); // a registry write: the version moves
        }

        assertThrows(SyncEventRecorder.RetryLater.class, () -> recorder.record(ID, List.of(ok("e2", 2))));

        assertEquals(1, state().totalSyncs());
        assertEquals(List.of("e1"), storedEventIds());
        assertEquals(Set.of(ok("e1", 1).orderKey()), devices.load(ID).inflight());
    }

    @Test
    void anEventCarryingARequestIdAnswersItAndOnlyTheFirstAnswerCounts() {
        SyncRequest request = SyncRequest.queue(ID, NOW.minus(Duration.ofHours(3)), SyncRequest.DEFAULT_TTL);
        requests.put(request);

        recorder.record(ID, List.of(event("f1", 1, true, request.requestId())));
        recorder.record(ID, List.of(event("f1", 1, true, request.requestId()))); // redelivered
        SyncRequest first = requests.newestFirst(ID, null, 10).items().get(0);
        recorder.record(ID, List.of(event("s2", 2, false, request.requestId()))); // a later answer
        List<SyncRequest> afterLaterAnswer = requests.newestFirst(ID, null, 10).items();

        assertEquals(SyncRequest.Status.FAILED, first.status());
        assertEquals("f1", first.eventId());
        assertEquals(NOW, first.completedAt());
        assertEquals(List.of(first), afterLaterAnswer, "the first answer stays");
    }

    @Test
    void aMessagesNewEventsAreStoredAsOneUploadNamedInTheInflightSetUntilSeen() {
        WritesSeen ledger = new WritesSeen(history);
        SyncEventRecorder r = recorder(ledger);

        r.record(ID, List.of(ok("e2", 2), failed("e1", 1), ok("e3", 3)));

        assertEquals(List.of(List.of("e1", "e2", "e3")), ledger.uploads, "one upload, in device order");
        assertEquals(List.of("e3", "e2", "e1"), storedEventIds());
        Inflight inflight = Inflight.of(devices.load(ID).inflight());
        assertEquals(List.of(new Inflight.PendingUpload(ok("e1", 1).orderKey(), ok("e3", 3).orderKey(), 3)),
                inflight.uploads());
        assertEquals(3, inflight.keys().size());

        r.record(ID, List.of(ok("e4", 4)));

        assertEquals(Set.of(ok("e4", 4).orderKey()), devices.load(ID).inflight(),
                "the upload is seen stored: its keys and its entry leave the set");
        assertEquals(List.of(List.of("e1", "e2", "e3"), List.of("e4")), ledger.uploads);
    }

    @Test
    void anUploadAppliedBeforeACrashIsWrittenWholeByItsRedeliveryAndNotInPartsByAnotherMessage() {
        WritesSeen ledger = new WritesSeen(new FailsFirstWrite(history));
        SyncEventRecorder r = recorder(ledger);
        List<ReceivedSyncEvent> upload = List.of(ok("e1", 1), ok("e2", 2), ok("e3", 3));
        assertThrows(IllegalStateException.class, () -> r.record(ID, upload));
        assertEquals(3, state().totalSyncs(), "committed before the crash");

        // The device sends e2 again in another upload: that message must not store part of the upload.
        SyncEventRecorder.Outcome part = r.record(ID, List.of(ok("e2", 2)));

        assertEquals(new SyncEventRecorder.Outcome(0, 1, 0), part);
        assertEquals(List.of(), storedEventIds());
        assertEquals(List.of(), ledger.singles);

        SyncEventRecorder.Outcome redelivered = r.record(ID, upload);

        assertEquals(new SyncEventRecorder.Outcome(3, 0, 0), redelivered);
        assertEquals(List.of(List.of("e1", "e2", "e3"), List.of("e1", "e2", "e3")), ledger.uploads,
                "the crashed write, then the same upload whole");
        assertEquals(List.of("e3", "e2", "e1"), storedEventIds());
        assertEquals(3, state().totalSyncs());
    }

    @Test
    void aLateEventInsideAnUploadNotYetWrittenWaitsForItThenJoinsIt() {
        WritesSeen ledger = new WritesSeen(new FailsFirstWrite(history));
        SyncEventRecorder r = recorder(ledger);
        List<ReceivedSyncEvent> upload = List.of(ok("e1", 1), ok("e3", 3));
        assertThrows(IllegalStateException.class, () -> r.record(ID, upload));

        assertThrows(SyncEventRecorder.RetryLater.class, () -> r.record(ID, List.of(failed("e2", 2))));
        assertEquals(2, state().totalSyncs(), "the late event is not applied while its place is unwritten");

        r.record(ID, upload);
        SyncEventRecorder.Outcome late = r.record(ID, List.of(failed("e2", 2)));

        assertEquals(new SyncEventRecorder.Outcome(1, 0, 0), late);
        assertEquals(List.of(List.of("e2")), ledger.singles, "stored where it falls (the upload's entry holds it)");
        assertEquals(List.of("e3", "e2", "e1"), storedEventIds());
        assertEquals(3, state().totalSyncs());
        assertEquals(1, state().totalFailures());
    }

    @Test
    void messagesWhoseNewEventsInterleaveAreStoredEventByEvent() {
        WritesSeen ledger = new WritesSeen(history);
        SyncEventRecorder r = recorder(ledger);

        r.recordUploads(ID, List.of(List.of(ok("e1", 1), ok("e3", 3)), List.of(ok("e2", 2), ok("e4", 4)),
                List.of(ok("e1", 1))));
        r.recordUploads(ID, List.of(List.of(ok("e5", 5), ok("e6", 6)), List.of(ok("e7", 7), ok("e8", 8))));

        assertEquals(List.of(List.of("e1"), List.of("e3"), List.of("e2"), List.of("e4"), List.of("e5", "e6"),
                List.of("e7", "e8")), ledger.uploads, "one entry per event while ranges interleave, else per message");
        assertEquals(List.of("e8", "e7", "e6", "e5", "e4", "e3", "e2", "e1"), storedEventIds());
        assertEquals(8, state().totalSyncs());
    }

    /** A ledger passing every call on: the test ledgers below change its writes. */
    private static class Delegating implements EventLedger {
        final EventLedger history;

        Delegating(EventLedger history) {
            this.history = history;
        }

        @Override
        public Set<String> storedKeys(String deviceId, java.util.Collection<String> keys, boolean consistent) {
            return history.storedKeys(deviceId, keys, consistent);
        }

        @Override
        public void putAll(java.util.Collection<ReceivedSyncEvent> events, String site) {
            history.putAll(events, site);
        }

        @Override
        public void putNewest(List<List<ReceivedSyncEvent>> uploads, String site) {
            history.putNewest(uploads, site);
        }

        @Override
        public com.pisync.domain.FailureStreak failuresAfter(String deviceId, String orderKey) {
            return history.failuresAfter(deviceId, orderKey);
        }
    }

    /** The writes a ledger was asked for, by event id: uploads of the newest events, and events stored where they fall. */
    private static final class WritesSeen extends Delegating {
        final List<List<String>> uploads = new ArrayList<>();
        final List<List<String>> singles = new ArrayList<>();

        WritesSeen(EventLedger history) {
            super(history);
        }

        @Override
        public void putAll(java.util.Collection<ReceivedSyncEvent> events, String site) {
            singles.add(events.stream().map(e -> e.event().eventId()).toList());
            super.putAll(events, site);
        }

        @Override
        public void putNewest(List<List<ReceivedSyncEvent>> uploads, String site) {
            uploads.forEach(u -> this.uploads.add(u.stream().map(e -> e.event().eventId()).toList()));
            super.putNewest(uploads, site);
        }
    }

    /** A history whose first write fails, as if the process died after the commit. */
    private static final class FailsFirstWrite extends Delegating {
        private boolean failed;

        FailsFirstWrite(EventLedger history) {
            super(history);
        }

        private void crashOnce() {
            if (!failed) {
                failed = true;
                throw new IllegalStateException("crashed before the history write");
            }
        }

        @Override
        public void putAll(java.util.Collection<ReceivedSyncEvent> events, String site) {
            crashOnce();
            super.putAll(events, site);
        }

        @Override
        public void putNewest(List<List<ReceivedSyncEvent>> uploads, String site) {
            crashOnce();
            super.putNewest(uploads, site);
        }
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>(List.of(first));
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }
}
