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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records a device's events exactly once, however often and in whatever order they are delivered.
 *
 * <p>The protocol (docs/data-model.md): read the device item; an event is already applied when it
 * is in the history or its key is in the item's in-flight set; apply the rest in one commit
 * guarded by the item's version, adding their keys to the in-flight set; then write their history.
 * History is written only after the commit, so "in the history" implies "applied", and the
 * in-flight set covers a crash between the two. Keys in the set are dropped once their history is
 * seen. Events newer than the device's newest cannot have been applied and cost no read. A message's
 * events newer than the device's newest are stored as one upload entry; the in-flight set names it
 * until it is seen, so that a retry writes exactly that upload or leaves it to its own message.
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

    /** Records one upload's events (or events of one queue message). */
    Outcome record(String deviceId, List<ReceivedSyncEvent> delivered) {
        return recordUploads(deviceId, List.of(delivered));
    }

    /**
     * Records a device's delivered events, by the queue message that carried them: a message's events newer than
     * the device's newest are stored as one history entry (a redelivery carries the same message whole).
     */
    Outcome recordUploads(String deviceId, List<List<ReceivedSyncEvent>> messages) {
        Map<String, ReceivedSyncEvent> events = new LinkedHashMap<>();
        Map<String, Integer> messageOf = new HashMap<>();
        int delivered = 0;
        for (int m = 0; m < messages.size(); m++) {
            for (ReceivedSyncEvent e : messages.get(m)) {
                delivered++;
                if (events.putIfAbsent(e.orderKey(), e) == null) { // the same event twice in one batch
                    messageOf.put(e.orderKey(), m);
                }
            }
        }
        // One lease for this call's commits, taken with the first alert transition: if a commit's answer is lost and
        // the retry finds it applied, the entries it wrote are still recognised as ours and published now.
        DeviceCommits.OutboxLease lease = null;
        for (int attempt = 1; ; attempt++) {
            // A stale first read is safe: it can only under-report what is applied, and then the
            // version check of the commit fails and the retry reads consistently.
            DeviceRecord device = devices.load(deviceId, attempt > 1);
            Inflight inflight = Inflight.of(device.inflight());
            Set<String> toCheck = new HashSet<>(inflight.keys());
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
                (inflight.keys().contains(e.orderKey()) ? appliedNotWritten : fresh).add(e);
            }
            int rewritten = appliedNotWritten.isEmpty() ? 0
                    : writeApplied(appliedNotWritten, inflight, stored, device.site());
            if (fresh.isEmpty()) {
                answerSyncRequests(deviceId, events.values());
                outbox.flush(deviceId, device.outbox(), lease);
                return new Outcome(rewritten, delivered - rewritten, 0);
            }

            Set<String> unconfirmed = new HashSet<>(inflight.keys());
            unconfirmed.removeAll(stored);
            List<Inflight.PendingUpload> pending = inflight.uploads().stream()
                    .filter(u -> unconfirmed.stream().anyMatch(u::holds)).toList();
            for (ReceivedSyncEvent e : fresh) {
                if (pending.stream().anyMatch(u -> u.holds(e.orderKey()))) {
                    // it must join that upload's entry, which its own message has not written yet
                    throw new RetryLater("device " + deviceId + " has an applied upload around " + e.event().eventId()
                            + " whose history is not written yet");
                }
            }
            StreakLookup lookup = key -> {
                if (unconfirmed.stream().anyMatch(k -> k.compareTo(key) > 0)) {
                    throw new RetryLater("device " + deviceId + " has applied events whose history is not written yet");
                }
                return history.failuresAfter(deviceId, key);
            };
            // To the millisecond: the alert times it stamps are then stored in the device item as 8-byte numbers.
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            DeviceStateUpdater.Result result = updater.apply(device.state(), fresh, device.site(), lookup, now);
            List<ReceivedSyncEvent> late = fresh.stream().filter(e -> device.state().mayHaveApplied(e.orderKey()))
                    .toList();
            List<List<ReceivedSyncEvent>> newest = newestByMessage(
                    fresh.stream().filter(e -> !device.state().mayHaveApplied(e.orderKey())).toList(), messageOf);
            Set<String> inflightKeys = new HashSet<>(unconfirmed);
            fresh.forEach(e -> inflightKeys.add(e.orderKey()));
            List<Inflight.PendingUpload> uploads = new ArrayList<>(pending);
            newest.stream().filter(u -> u.size() > 1)
                    .forEach(u -> uploads.add(Inflight.PendingUpload.of(u.stream().map(ReceivedSyncEvent::orderKey).toList())));
            DeviceRegistry.OfflineTime offline = device.decommissioned() ? new DeviceRegistry.OfflineTime(null, null)
                    : offlineTimes.offlineAt(device.site(), result.state().lastSeenAt(), device.calendarAt());
            DeviceStatus status = DeviceStatus.of(device.decommissioned(), result.state(), updater.failureThreshold(),
                    offline.at(), now);
            if (lease == null && !result.transitions().isEmpty()) {
                lease = DeviceCommits.OutboxLease.from(now);
            }

            if (devices.commit(device, result.state(), status, Inflight.entries(inflightKeys, uploads),
                    result.transitions(), failureDays(device.failureDays(), fresh, now), offline, now, lease)) {
                history.putNewest(newest, device.site());
                if (!late.isEmpty()) {
                    history.putAll(late, device.site());
                }
                answerSyncRequests(deviceId, events.values());
                if (!device.outbox().isEmpty() || !result.transitions().isEmpty()) {
                    outbox.flush(deviceId, devices.load(deviceId, true).outbox(), lease);
                }
                int written = fresh.size() + rewritten;
                int opened = (int) result.transitions().stream()
                        .filter(t -> t.kind() == com.pisync.domain.AlertTransition.Kind.FAILURE_STREAK).count();
                return new Outcome(written, delivered - written, opened);
            }
            if (attempt == MAX_COMMIT_ATTEMPTS) {
                throw new RetryLater("device " + deviceId + " is being updated concurrently; retry later");
            }
            pause(attempt);
        }
    }

    /**
     * Writes events an earlier attempt applied and stopped before writing. A pending upload is written whole when
     * all its events are here (a redelivery of its message); when only some are (another message carrying the same
     * events), its own message writes it, so they are left. Other events are written where they fall. Returns how
     * many were written.
     */
    private int writeApplied(List<ReceivedSyncEvent> applied, Inflight inflight, Set<String> stored, String site) {
        List<List<ReceivedSyncEvent>> whole = new ArrayList<>();
        Set<String> inUploads = new HashSet<>();
        for (Inflight.PendingUpload upload : inflight.uploads()) {
            long unwritten = inflight.keys().stream().filter(upload::holds).filter(k -> !stored.contains(k)).count();
            List<ReceivedSyncEvent> here = applied.stream().filter(e -> upload.holds(e.orderKey())).toList();
            here.forEach(e -> inUploads.add(e.orderKey()));
            if (!here.isEmpty() && here.size() == unwritten) {
                whole.add(here.stream().sorted(Comparator.comparing(ReceivedSyncEvent::orderKey)).toList());
            }
        }
        List<ReceivedSyncEvent> rest = applied.stream().filter(e -> !inUploads.contains(e.orderKey())).toList();
        if (!whole.isEmpty()) {
            history.putNewest(whole, site);
        }
        if (!rest.isEmpty()) {
            history.putAll(rest, site);
        }
        int written = rest.size();
        for (List<ReceivedSyncEvent> upload : whole) {
            upload.forEach(e -> stored.add(e.orderKey()));
            written += upload.size();
        }
        rest.forEach(e -> stored.add(e.orderKey()));
        return written;
    }

    /**
     * Events newer than the device's newest, by the message that carried them, each message's in device order.
     * Messages whose ranges interleave (rare: two uploads of a device in one batch with mixed order keys) are
     * stored event by event, so no stored entry's range holds another's events.
     */
    static List<List<ReceivedSyncEvent>> newestByMessage(List<ReceivedSyncEvent> newer, Map<String, Integer> messageOf) {
        Map<Integer, List<ReceivedSyncEvent>> byMessage = new TreeMap<>();
        for (ReceivedSyncEvent e : newer) {
            byMessage.computeIfAbsent(messageOf.get(e.orderKey()), m -> new ArrayList<>()).add(e);
        }
        List<List<ReceivedSyncEvent>> uploads = byMessage.values().stream()
                .map(u -> u.stream().sorted(Comparator.comparing(ReceivedSyncEvent::orderKey)).toList())
                .sorted(Comparator.comparing(u -> u.get(0).orderKey()))
                .toList();
        for (int i = 1; i < uploads.size(); i++) {
            List<ReceivedSyncEvent> before = uploads.get(i - 1);
            if (before.get(before.size() - 1).orderKey().compareTo(uploads.get(i).get(0).orderKey()) >= 0) {
                return newer.stream().map(List::of).toList();
            }
        }
        return uploads;
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
