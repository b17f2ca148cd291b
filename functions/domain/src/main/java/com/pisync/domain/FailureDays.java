package com.pisync.domain;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's failed syncs per UTC day of their timestamp (ISO day → count), kept for the longest
 * repeated-failures window, and their compact text form: the newest day as an epoch day, then each older
 * day as days back from it, newest first — {@code "20393:3 2:1 10:4"} (2025-11-01: 3, two days before: 1,
 * ten days before: 4). About 4 bytes a day where a map of ISO days took about 13.
 */
public final class FailureDays {

    /** Days kept: the 31 UTC days a `since` within 30 days can reach, the current one included. */
    public static final int KEPT_DAYS = 31;

    private FailureDays() {
    }

    /** The counts with {@code failedAt} added and days older than {@link #KEPT_DAYS} before {@code today} dropped. */
    public static Map<String, Integer> add(Map<String, Integer> before, List<java.time.Instant> failedAt,
            java.time.Instant now) {
        Map<String, Integer> days = new TreeMap<>(before);
        for (java.time.Instant t : failedAt) {
            days.merge(day(t), 1, Integer::sum);
        }
        String oldest = day(now.minus(java.time.Duration.ofDays(KEPT_DAYS)));
        days.keySet().removeIf(day -> day.compareTo(oldest) < 0);
        return days;
    }

    /** The UTC day of an instant, ISO (yyyy-MM-dd). */
    public static String day(java.time.Instant t) {
        return t.toString().substring(0, 10);
    }

    /** Failed syncs on {@code sinceDay} (ISO) or later. */
    public static int since(Map<String, Integer> days, String sinceDay) {
        int n = 0;
        for (Map.Entry<String, Integer> d : days.entrySet()) {
            if (d.getKey().compareTo(sinceDay) >= 0) {
                n += d.getValue();
            }
        }
        return n;
    }

    /** Every kept failed sync: no window a caller may ask for counts more. */
    public static int total(Map<String, Integer> days) {
        int n = 0;
        for (int c : days.values()) {
            n += c;
        }
        return n;
    }

    /** The compact text form (null for no failures). */
    public static String encode(Map<String, Integer> days) {
        if (days.isEmpty()) {
            return null;
        }
        TreeMap<String, Integer> sorted = new TreeMap<>(Collections.reverseOrder());
        sorted.putAll(days);
        long newest = LocalDate.parse(sorted.firstKey()).toEpochDay();
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Integer> d : sorted.entrySet()) {
            long back = newest - LocalDate.parse(d.getKey()).toEpochDay();
            b.append(b.length() == 0 ? Long.toString(newest) : " " + back).append(':').append(d.getValue());
        }
        return b.toString();
    }

    /** The counts of a compact text form (empty for null or blank). */
    public static Map<String, Integer> decode(String text) {
        Map<String, Integer> days = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return days;
        }
        long newest = 0;
        boolean first = true;
        for (String part : text.trim().split(" ")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a failure-days entry: '" + part + "'");
            }
            long day = Long.parseLong(part.substring(0, colon));
            if (first) {
                newest = day;
                first = false;
            } else {
                day = newest - day;
            }
            days.merge(LocalDate.ofEpochDay(day).toString(), Integer.parseInt(part.substring(colon + 1)), Integer::sum);
        }
        return days;
    }
}
