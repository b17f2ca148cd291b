package com.pisync.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What PiSync knows of a device from its sync events: the newest attempt in device order, the
 * newest success, the newest failure, the current failure streak, totals, and the alert open on the
 * streak, if any. Keys are {@link OrderKey}s. {@code pendingFiles} and {@code oldestPendingAt} come from
 * the newest event in device order.
 */
public record DeviceState(
        String deviceId,
        String lastKey,
        Instant lastAttemptAt,
        Outcome lastStatus,
        String lastSuccessKey,
        Instant lastSyncAt,
        String lastFailureKey,
        Instant lastFailureAt,
        String lastError,
        String lastErrorCode,
        FailureStreak streak,
        long totalSyncs,
        long totalFailures,
        Long pendingFiles,
        Instant lastSeenAt,
        Alert openAlert,
        Instant oldestPendingAt) {

    public DeviceState {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(streak, "streak");
    }

    /** A state without {@code oldestPendingAt} (as before contract v1.1). */
    public DeviceState(String deviceId, String lastKey, Instant lastAttemptAt, Outcome lastStatus,
            String lastSuccessKey, Instant lastSyncAt, String lastFailureKey, Instant lastFailureAt, String lastError,
            String lastErrorCode, FailureStreak streak, long totalSyncs, long totalFailures, Long pendingFiles,
            Instant lastSeenAt, Alert openAlert) {
        this(deviceId, lastKey, lastAttemptAt, lastStatus, lastSuccessKey, lastSyncAt, lastFailureKey, lastFailureAt,
                lastError, lastErrorCode, streak, totalSyncs, totalFailures, pendingFiles, lastSeenAt, openAlert, null);
    }

    /**
     * Since when the device holds learning data not yet synced: {@code oldestPendingAt} while files are
     * pending, else null (contract v1.1, "Data at risk").
     */
    public Instant dataAtRiskSince() {
        return pendingFiles != null && pendingFiles > 0 ? oldestPendingAt : null;
    }

    /** A device that has never reported. */
    public static DeviceState initial(String deviceId) {
        return new DeviceState(deviceId, null, null, null, null, null, null, null, null, null, FailureStreak.NONE, 0, 0,
                null, null, null);
    }

    public boolean neverSynced() {
        return lastKey == null;
    }

    public int consecutiveFailures() {
        return streak.failures();
    }

    /** Device time of the first failure of the current streak, or null without one. */
    public Instant streakStartedAt() {
        return streak.startedAt();
    }

    /** True when an event with this order key may already be applied: it is not newer than the newest. */
    public boolean mayHaveApplied(String orderKey) {
        return lastKey != null && orderKey.compareTo(lastKey) <= 0;
    }
}
