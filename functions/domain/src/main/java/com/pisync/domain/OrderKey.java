package com.pisync.domain;

/**
 * Device order as one sortable string, so DynamoDB sorts a device's history the way the domain
 * compares events.
 *
 * <p>Events carrying {@code seq} compare by seq, others by timestamp; ties break on event id. The
 * key is {@code q<seq, 19 digits>#<event id>} or {@code t<epoch millis, 13 digits>#<event id>}. A
 * device is expected to send seq always or never; were it to mix, its events with seq order
 * before those without (documented in docs/data-model.md).
 */
public final class OrderKey {

    private OrderKey() {
    }

    public static String of(SyncEvent e) {
        if (e.seq() != null) {
            return "q" + pad(e.seq(), 19) + "#" + e.eventId();
        }
        return "t" + pad(e.timestamp().toEpochMilli(), 13) + "#" + e.eventId();
    }

    /** True when key {@code a} comes after key {@code b} in device order ({@code null} is before all). */
    public static boolean isAfter(String a, String b) {
        return b == null || (a != null && a.compareTo(b) > 0);
    }

    private static String pad(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("order key components must not be negative: " + value);
        }
        String digits = Long.toString(value);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
