package com.pisync.domain;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An admin's request that a device sync now. The device learns of it in the {@code commands} of its
 * next upload (which makes it delivered) and answers with an event carrying the request id (which
 * completes it, or fails it when that sync failed). Unanswered, it expires; expiry is decided on read,
 * so nothing waits for a sweeper or DynamoDB's TTL.
 */
public record SyncRequest(
        String requestId,
        String deviceId,
        Status status,
        Instant requestedAt,
        Instant expiresAt,
        Instant deliveredAt,
        Instant completedAt,
        String eventId) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofDays(7);
    public static final String TYPE = "sync";
    private static final SecureRandom RANDOM = new SecureRandom();

    public enum Status {
        QUEUED, DELIVERED, COMPLETED, FAILED, EXPIRED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status fromWireName(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }

        public boolean open() {
            return this == QUEUED || this == DELIVERED;
        }
    }

    public SyncRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(status, "status");
    }

    public static SyncRequest queue(String deviceId, Instant now, Duration ttl) {
        return new SyncRequest(newId(now), deviceId, Status.QUEUED, now, now.plus(ttl), null, null, null);
    }

    /** Time-ordered ids, so a device's requests sort newest first by id alone. */
    static String newId(Instant now) {
        byte[] random = new byte[5];
        RANDOM.nextBytes(random);
        return "req_" + String.format("%012x", now.toEpochMilli()) + HexFormat.of().formatHex(random);
    }

    /** The smallest id a request made at or after {@code time} can have. */
    public static String firstIdAt(Instant time) {
        return "req_" + String.format("%012x", Math.max(0, time.toEpochMilli()));
    }

    /** The status as of {@code now}: an open request past its expiry is expired. */
    public Status statusAt(Instant now) {
        return status.open() && !now.isBefore(expiresAt) ? Status.EXPIRED : status;
    }

    public SyncRequest asOf(Instant now) {
        return new SyncRequest(requestId, deviceId, statusAt(now), requestedAt, expiresAt, deliveredAt, completedAt,
                eventId);
    }
}
