package com.pisync.processor;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.aws.ports.EventLedger;
import com.pisync.aws.ports.OutboxPublisher;
import com.pisync.aws.ports.SyncRequestAnswers;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.StreakLookup;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records a device's events exactly once, however often and in whatever order they are delivered.
 *
 * <p>The protocol (docs/data-model.md): read the device item; an event is already applied when its
 * history item exists or its key is in the item's in-flight set; apply the rest in one commit
 * guarded by the item's version, adding their keys to the in-flight set; then write their history
 * items. History is written only after the commit, so "history exists" implies "applied", and the
 * in-flight set covers a crash between the two. Keys in the set are dropped once their history is
 * seen. Events newer than the device's newest cannot have been applied and cost no read.
 */
final class SyncEventRecorder {

    private static final int MAX_COMMIT_ATTEMPTS = 8;

    private final DeviceCommits devices;
    private final EventLedger history;
    private final SyncRequestAnswers syncRequests;
    private final OutboxPublisher outbox;
    private final DeviceStateUpdater updater;
    private final DeviceRegistry.OfflineTimes offlineTimes;
    private final Clock clock;

    /** @param offlineTimes the device's calendar-aware offline time, from its site's profile (cached per container) */
    SyncEventRecorder(DeviceCommits devices, EventLedger history, SyncRequestAnswers syncRequests,
            OutboxPublisher outbox, DeviceStateUpdater updater, DeviceRegistry.OfflineTimes offlineTimes, Clock clock) {
        this.devices = devices;
        this.history = history;
        this.syncRequests = syncRequests;
        this.outbox = outbox;
        this.updater = updater;
        this.offlineTimes = offlineTimes;
        this.clock = clock;
    }

    /** Signals that the events must be retried later; nothing about them is lost. */
    static final class RetryLater extends RuntimeException {
        RetryLater(String message) {
            super(message);
        }
    }

    /**
     * What recording a device's delivered events did: history items written now (new events, and events an
     * earlier attempt applied without writing their history), deliveries dropped as duplicates (already stored,
     * or twice in the batch), failure-streak alerts opened.
     */
    record Outcome(int stored, int duplicates, int alertsOpened) {
    }

    Outcome record(String deviceId, List<ReceivedSyncEvent> delivered) {
        Map<String, ReceivedSyncEvent> events = new LinkedHashMap<>();
        for (ReceivedSyncEvent e : delivered) {
            events.putIfAbsent(e.orderKey(), e); // the same event twice in one batch
        }
        // One lease for this call's commits, taken with the first alert transition: if a commit's answer is lost and
        // the retry finds it applied, the entries it wrote are still recognised as ours and published now.
        DeviceCommits.OutboxLease lease = null;
        for (int attempt = 1; ; attempt++) {
            // A stale first read is safe: it can only under-report what is applied, and then the
            // version check of the commit fails and the retry reads consistently.
            DeviceRecord device = devices.load(deviceId, attempt > 1);
            Set<String> toCheck = new HashSet<>(device.inflight());
            List<String> mayBeDuplicates = events.keySet().stream().filter(device.state()::mayHaveApplied).toList();
            toCheck.addAll(mayBeDuplicates);
            // Deciding a duplicate needs a consistent read; confirming in-flight keys does not (a miss
            // only keeps a key in the set a little longer).
            Set<String> stored = toCheck.isEmpty() ? new HashSet<>()
                    : new HashSet<>(history.storedKeys(deviceId, toCheck, !mayBeDuplicates.isEmpty()));

            List<ReceivedSyncEvent> fresh = new ArrayList<>();
            List<ReceivedSyncEvent> appliedNotWritten = new ArrayList<>();
            for (ReceivedSyncEvent e : events.values()) {
                if (stored.contains(e.orderKey())) {
                    continue;
                }
                (device.inflight().contains(e.orderKey()) ? appliedNotWritten : fresh).add(e);
            }
            if (!appliedNotWritten.isEmpty()) {
                // An earlier attempt committed these and stopped before writing their history.
                history.putAll(appliedNotWritten, device.site());
                appliedNotWritten.forEach(e -> stored.add(e.orderKey()));
            }
            if (fresh.isEmpty()) {
                answerSyncRequests(deviceId, events.values());
                outbox.flush(deviceId, device.outbox(), lease);
                return new Outcome(appliedNotWritten.size(), delivered.size() - appliedNotWritten.size(), 0);
            }

            Set<String> unconfirmed = new HashSet<>(device.inflight());
            unconfirmed.removeAll(stored);
            StreakLookup lookup = key -> {
                if (unconfirmed.stream().anyMatch(k -> k.compareTo(key) > 0)) {
                    throw new RetryLater("device " + deviceId + " has applied events whose history is not written yet");
                }
                return history.failuresAfter(deviceId, key);
            };
            // To the millisecond: the alert times it stamps are then stored in the device item as 8-byte numbers.
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            DeviceStateUpdater.Result result = updater.apply(device.state(), fresh, device.site(), lookup, now);
            Set<String> inflight = new HashSet<>(unconfirmed);
            fresh.forEach(e -> inflight.add(e.orderKey()));
            DeviceRegistry.OfflineTime offline = device.decommissioned() ? new DeviceRegistry.OfflineTime(null, null)
                    : offlineTimes.offlineAt(device.site(), result.state().lastSeenAt(), device.calendarAt());
            DeviceStatus status = DeviceStatus.of(device.decommissioned(), result.state(), updater.failureThreshold(),
                    offline.at(), now);
            if (lease == null && !result.transitions().isEmpty()) {
                lease = DeviceCommits.OutboxLease.from(now);
            }

            if (devices.commit(device, result.state(), status, inflight, result.transitions(),
                    failureDays(device.failureDays(), fresh, now), offline, now, lease)) {
                history.putAll(fresh, device.site());
                answerSyncRequests(deviceId, events.values());
                if (!device.outbox().isEmpty() || !result.transitions().isEmpty()) {
                    outbox.flush(deviceId, devices.load(deviceId, true).outbox(), lease);
                }
                int written = fresh.size() + appliedNotWritten.size();
                int opened = (int) result.transitions().stream()
                        .filter(t -> t.kind() == com.pisync.domain.AlertTransition.Kind.FAILURE_STREAK).count();
                return new Outcome(written, delivered.size() - written, opened);
            }
            if (attempt == MAX_COMMIT_ATTEMPTS) {
                throw new RetryLater("device " + deviceId + " is being updated concurrently; retry later");
            }
            pause(attempt);
        }
    }

    /** Failed syncs per UTC day of their timestamp, kept days only, with the new failures added. */
    static Map<String, Integer> failureDays(Map<String, Integer> before, List<ReceivedSyncEvent> fresh, Instant now) {
        return com.pisync.domain.FailureDays.add(before,
                fresh.stream().filter(e -> e.event().failed()).map(e -> e.event().timestamp()).toList(), now);
    }

    /** An event carrying a command id answers that sync request; repeating the answer changes nothing. */
    private void answerSyncRequests(String deviceId, java.util.Collection<ReceivedSyncEvent> events) {
        for (ReceivedSyncEvent e : events) {
            if (e.event().commandId() != null) {
                syncRequests.complete(deviceId, e.event().commandId(), !e.event().failed(), e.event().eventId(),
                        clock.instant());
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLater("interrupted");
        }
    }
}
