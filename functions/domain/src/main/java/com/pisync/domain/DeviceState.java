package com.pisync.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What PiSync knows of a device from its sync events: the newest attempt in device order, the
 * newest success, the newest failure, the current failure streak, totals, and the alert open on the
 * streak, if any. Keys are {@link OrderKey}s.
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
        Alert openAlert) {

    public DeviceState {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(streak, "streak");
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
