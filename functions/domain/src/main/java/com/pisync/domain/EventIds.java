package com.pisync.domain;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives the idempotency key of an event that came without one, so that a device retrying the
 * same upload produces the same ids. Every field takes part; the timestamp as a UTC instant, so
 * the same instant written with another offset is the same event.
 */
public final class EventIds {

    private EventIds() {
    }

    public static String derive(SyncEvent e) {
        StringBuilder canonical = new StringBuilder(256);
        field(canonical, e.deviceId());
        field(canonical, e.timestamp().toString());
        field(canonical, e.seq() == null ? null : e.seq().toString());
        field(canonical, Long.toString(e.totalFilesSynced()));
        field(canonical, Long.toString(e.totalErrors()));
        field(canonical, canonicalNumber(e.internetSpeed()));
        field(canonical, e.errorCode());
        field(canonical, e.errorMessage());
        field(canonical, e.pendingFiles() == null ? null : e.pendingFiles().toString());
        field(canonical, e.commandId());
        if (e.oldestPendingAt() != null) {
            // Appended only when present, so ids derived before v1.1 (and events without it) do not change.
            field(canonical, e.oldestPendingAt().toString());
        }
        return HexFormat.of().formatHex(sha256(canonical.toString()), 0, 16);
    }

    /** 3, 3.0 and 3.00 are the same speed. */
    static String canonicalNumber(double value) {
        if (value == 0.0) {
            return "0";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    // Length-prefixed, with null distinct from "", so no two field lists encode alike.
    private static void field(StringBuilder out, String value) {
        if (value == null) {
            out.append("-;");
        } else {
            out.append(value.length()).append(':').append(value).append(';');
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
