package com.pisync.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies new sync events to a device's state in device order, whatever order they arrived in, and
 * says which alert transitions that causes. A late event enters the totals and the streak it
 * belongs to but never rewinds the newest attempt.
 */
public final class DeviceStateUpdater {

    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    private final int failureThreshold;

    public DeviceStateUpdater(int failureThreshold) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold must be at least 1, got " + failureThreshold);
        }
        this.failureThreshold = failureThreshold;
    }

    public int failureThreshold() {
        return failureThreshold;
    }

    public record Result(DeviceState state, List<AlertTransition> transitions) {
    }

    /**
     * @param before the state with every previously applied event
     * @param fresh events not applied before (the caller has removed duplicates)
     * @param site the device's site, for alerts
     * @param history the previously applied events, consulted only for a late success inside a streak
     * @param now the server clock, for alert times
     */
    public Result apply(DeviceState before, List<ReceivedSyncEvent> fresh, String site, StreakLookup history,
            Instant now) {
        List<ReceivedSyncEvent> ordered = new ArrayList<>(fresh);
        ordered.sort(Comparator.comparing(ReceivedSyncEvent::orderKey));
        List<AlertTransition> transitions = new ArrayList<>();
        Draft d = new Draft(before);
        for (ReceivedSyncEvent received : ordered) {
            d.apply(received, history);
            updateAlert(d, received.event(), site, now, transitions);
        }
        return new Result(d.toState(), List.copyOf(transitions));
    }

    private void updateAlert(Draft d, SyncEvent cause, String site, Instant now, List<AlertTransition> transitions) {
        if (d.openAlert == null && d.streak.failures() >= failureThreshold) {
            d.openAlert = new Alert(Alert.idFor(d.deviceId, cause.orderKey()), d.deviceId, site, AlertState.OPEN,
                    d.streak.failures(), d.streak.startedAt(), now, null, d.lastError);
            transitions.add(new AlertTransition(AlertTransition.Kind.FAILURE_STREAK, d.openAlert));
        } else if (d.openAlert != null && d.streak.failures() < failureThreshold) {
            transitions.add(new AlertTransition(AlertTransition.Kind.RECOVERED, d.openAlert.resolved(now)));
            d.openAlert = null;
        } else if (d.openAlert != null) {
            d.openAlert = d.openAlert.withStreak(d.streak.failures(), d.streak.startedAt(), d.lastError);
        }
    }

    /** The state being built, one event at a time. */
    private static final class Draft {
        final String deviceId;
        String lastKey;
        Instant lastAttemptAt;
        Outcome lastStatus;
        String lastSuccessKey;
        Instant lastSyncAt;
        String lastFailureKey;
        Instant lastFailureAt;
        String lastError;
        String lastErrorCode;
        FailureStreak streak;
        long totalSyncs;
        long totalFailures;
        Long pendingFiles;
        Instant oldestPendingAt;
        Instant lastSeenAt;
        Alert openAlert;

        Draft(DeviceState s) {
            deviceId = s.deviceId();
            lastKey = s.lastKey();
            lastAttemptAt = s.lastAttemptAt();
            lastStatus = s.lastStatus();
            lastSuccessKey = s.lastSuccessKey();
            lastSyncAt = s.lastSyncAt();
            lastFailureKey = s.lastFailureKey();
            lastFailureAt = s.lastFailureAt();
            lastError = s.lastError();
            lastErrorCode = s.lastErrorCode();
            streak = s.streak();
            totalSyncs = s.totalSyncs();
            totalFailures = s.totalFailures();
            pendingFiles = s.pendingFiles();
            oldestPendingAt = s.oldestPendingAt();
            lastSeenAt = s.lastSeenAt();
            openAlert = s.openAlert();
        }

        void apply(ReceivedSyncEvent received, StreakLookup history) {
            SyncEvent e = received.event();
            String key = e.orderKey();
            totalSyncs++;
            if (received.receivedAt() != null && (lastSeenAt == null || received.receivedAt().isAfter(lastSeenAt))) {
                lastSeenAt = received.receivedAt();
            }
            if (e.failed()) {
                totalFailures++;
                if (OrderKey.isAfter(key, lastFailureKey)) {
                    lastFailureKey = key;
                    lastFailureAt = e.timestamp();
                    lastError = e.errorSummary();
                    lastErrorCode = e.errorCode();
                }
            }
            boolean newest = OrderKey.isAfter(key, lastKey);
            if (newest) {
                lastKey = key;
                lastAttemptAt = e.timestamp();
                lastStatus = e.outcome();
                if (e.pendingFiles() != null) {
                    pendingFiles = e.pendingFiles();
                }
                // What the newest event says, absent included: an older event's date would be stale.
                oldestPendingAt = e.oldestPendingAt();
            }
            if (!OrderKey.isAfter(key, lastSuccessKey)) {
                return; // before the newest success: the current streak is not concerned
            }
            if (e.failed()) {
                streak = streak.with(e);
            } else {
                lastSuccessKey = key;
                lastSyncAt = e.timestamp();
                // Only failures after this success still count; for the newest event there are none.
                streak = newest ? FailureStreak.NONE : history.failuresAfter(key);
            }
        }

        DeviceState toState() {
            return new DeviceState(deviceId, lastKey, lastAttemptAt, lastStatus, lastSuccessKey, lastSyncAt,
                    lastFailureKey, lastFailureAt, lastError, lastErrorCode, streak, totalSyncs, totalFailures,
                    pendingFiles, lastSeenAt, openAlert, oldestPendingAt);
        }
    }
}
