package com.pisync.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Repeated failures, most first, from a ranking kept by an upper bound (a threshold algorithm).
 *
 * <p>Each device that failed in the kept days sits in the ranking under its <em>bound</em> ({@link #bound}):
 * the total of its kept failures, which no `since` a caller may send can exceed. The ranking is read
 * in bound order, most first, then device id; each entry's exact count since the requested day is taken
 * from its per-day counts. A device is given out once nothing unread can come before it: the next entry's
 * bound is below its count, or equal with a later device id. Reading stops at a full page or at the first
 * bound below {@code min_failures}. The answer is exact; the cost is the entries whose bound reaches the
 * page's lowest count (see docs/data-model.md, "Repeated failures").
 */
public final class FailureRanking {

    /** A ranking entry: device id, bound, per-day counts (ISO day → failed syncs). */
    public record Entry(String deviceId, int bound, Map<String, Integer> days) {
    }

    /** A device in the answer with its failed syncs since the requested day. */
    public record Ranked(String deviceId, int failures) {
    }

    /** Where a page ended: the last device given out (the next page starts after it). */
    public record Position(int failures, String deviceId) {
    }

    /** A page; {@code more}: another device follows the last one; {@code read}: ranking entries read. */
    public record Page(List<Ranked> items, boolean more, int read) {
    }

    /** The answer's order: more failures first, then device id. */
    public static final Comparator<Ranked> ORDER = Comparator.comparingInt(Ranked::failures).reversed()
            .thenComparing(Ranked::deviceId);

    private static final int MAX_BOUND = 999_999;

    private FailureRanking() {
    }

    /**
     * The bound a device with {@code total} kept failures is ranked under: the total itself. Levels (ranges of
     * totals) would move the index key less often, but a page must then read a whole level before giving out
     * any of its devices, and a level's population grows with the fleet (measured: docs/performance.md).
     */
    public static int bound(int total) {
        return Math.max(0, Math.min(total, MAX_BOUND));
    }

    /** The ranking's sort key: bound descending (as inverted digits), then device id. */
    public static String rankKey(int bound, String deviceId) {
        return String.format(java.util.Locale.ROOT, "%06d#%s", MAX_BOUND - Math.min(bound, MAX_BOUND), deviceId);
    }

    /** Every rank key of a bound at or above {@code bound} sorts at or below this. */
    public static String rankKeyAtLeast(int bound) {
        return String.format(java.util.Locale.ROOT, "%06d#\uFFEF", MAX_BOUND - Math.min(bound, MAX_BOUND));
    }

    /** The bound a rank key was written with. */
    public static int boundOf(String rankKey) {
        return MAX_BOUND - Integer.parseInt(rankKey.substring(0, 6));
    }

    /**
     * One page of devices with at least {@code min} failed syncs on {@code sinceDay} or later, after
     * {@code after} (null: from the top).
     *
     * @param ranking entries in rank-key order (bound descending, then device id), at least those with a
     *        bound of {@code min} or more; read lazily, only as far as the page needs
     */
    public static Page page(Iterator<Entry> ranking, String sinceDay, int min, Position after, int limit) {
        PriorityQueue<Ranked> waiting = new PriorityQueue<>(ORDER);
        List<Ranked> out = new ArrayList<>();
        Entry next = advance(ranking, min);
        int read = next == null ? 0 : 1;
        // One more than the page: it tells whether a next page exists.
        while (out.size() <= limit) {
            while (!waiting.isEmpty() && out.size() <= limit && settled(waiting.peek(), next)) {
                out.add(waiting.poll());
            }
            if (out.size() > limit || next == null) {
                break;
            }
            int failures = FailureDays.since(next.days(), sinceDay);
            Ranked r = new Ranked(next.deviceId(), failures);
            if (failures >= min && (after == null || isAfter(r, after))) {
                waiting.add(r);
            }
            next = advance(ranking, min);
            read += next == null ? 0 : 1;
        }
        boolean more = out.size() > limit;
        return new Page(more ? List.copyOf(out.subList(0, limit)) : List.copyOf(out), more, read);
    }

    /** Nothing unread can come before {@code r}: the next entry's bound is lower, or equal with a later id. */
    static boolean settled(Ranked r, Entry next) {
        return next == null || next.bound() < r.failures()
                || (next.bound() == r.failures() && next.deviceId().compareTo(r.deviceId()) > 0);
    }

    private static boolean isAfter(Ranked r, Position p) {
        return r.failures() < p.failures() || (r.failures() == p.failures() && r.deviceId().compareTo(p.deviceId()) > 0);
    }

    /** The next entry that can still qualify (null once bounds fall below {@code min}). */
    private static Entry advance(Iterator<Entry> ranking, int min) {
        if (!ranking.hasNext()) {
            return null;
        }
        Entry e = ranking.next();
        return e.bound() < min ? null : e;
    }
}
