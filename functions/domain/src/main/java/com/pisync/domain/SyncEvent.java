package com.pisync.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One sync attempt as a device reported it, validated and normalised (timestamp in UTC, event id
 * always present). {@code oldestPendingAt} (contract v1.1, optional): when the oldest learning record
 * still waiting on the device was made; never after {@code timestamp}.
 */
public record SyncEvent(
        String deviceId,
        String eventId,
        Instant timestamp,
        Long seq,
        long totalFilesSynced,
        long totalErrors,
        double internetSpeed,
        String errorCode,
        String errorMessage,
        Long pendingFiles,
        String commandId,
        Instant oldestPendingAt) {

    public SyncEvent {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** An event without {@code oldest_pending_at} (contract v1 fields only). */
    public SyncEvent(String deviceId, String eventId, Instant timestamp, Long seq, long totalFilesSynced,
            long totalErrors, double internetSpeed, String errorCode, String errorMessage, Long pendingFiles,
            String commandId) {
        this(deviceId, eventId, timestamp, seq, totalFilesSynced, totalErrors, internetSpeed, errorCode, errorMessage,
                pendingFiles, commandId, null);
    }

    public Outcome outcome() {
        return Outcome.of(totalErrors);
    }

    public boolean failed() {
        return outcome() == Outcome.FAILED;
    }

    /** Position in device order; see {@link OrderKey}. */
    public String orderKey() {
        return OrderKey.of(this);
    }

    /** What an admin reads as the reason of a failure. */
    public String errorSummary() {
        if (errorMessage != null && !errorMessage.isEmpty()) {
            return errorMessage;
        }
        if (errorCode != null && !errorCode.isEmpty()) {
            return errorCode;
        }
        return totalErrors + (totalErrors == 1 ? " error" : " errors");
    }
}
