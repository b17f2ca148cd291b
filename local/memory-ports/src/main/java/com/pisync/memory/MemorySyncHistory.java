package com.pisync.memory;

import com.pisync.aws.ports.ErrorLog;
import com.pisync.aws.ports.EventLedger;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Stored sync events in memory, keyed by device and order key: a device's history in device order (newest first),
 * the failed ones by the month of their event time, newest event time first (ties: device, then event id), and the
 * processor's {@link EventLedger} over the same entries.
 */
public final class MemorySyncHistory implements SyncHistory, ErrorLog, EventLedger {

    private final Map<String, TreeMap<String, Entry>> byDevice = new HashMap<>();

    /** Stores an event with the site it was stored with; storing the same event again changes nothing. */
    public synchronized MemorySyncHistory put(ReceivedSyncEvent event, String site) {
        byDevice.computeIfAbsent(event.event().deviceId(), d -> new TreeMap<>())
                .put(event.orderKey(), new Entry(event.orderKey(), event, site));
        return this;
    }

    @Override
    public synchronized void putAll(Collection<ReceivedSyncEvent> events, String site) {
        events.forEach(e -> put(e, site));
    }

    /** Memory keeps every event as its own entry: an upload is its events. */
    @Override
    public synchronized void putNewest(List<List<ReceivedSyncEvent>> uploads, String site) {
        uploads.forEach(upload -> putAll(upload, site));
    }

    /** Memory is always consistent: both reads see every stored entry. */
    @Override
    public synchronized Set<String> storedKeys(String deviceId, Collection<String> orderKeys, boolean consistent) {
        TreeMap<String, Entry> history = byDevice.getOrDefault(deviceId, new TreeMap<>());
        return orderKeys.stream().filter(history::containsKey).collect(Collectors.toSet());
    }

    @Override
    public synchronized FailureStreak failuresAfter(String deviceId, String orderKey) {
        FailureStreak streak = FailureStreak.NONE;
        for (Entry e : byDevice.getOrDefault(deviceId, new TreeMap<>()).tailMap(orderKey, false).values()) {
            streak = streak.with(e.event().event());
        }
        return streak;
    }

    @Override
    public synchronized Page<Entry> newestFirst(String deviceId, String before, int limit) {
        return SortedPages.page(List.copyOf(byDevice.getOrDefault(deviceId, new TreeMap<>()).values()),
                Entry::position, true, before, limit);
    }

    @Override
    public synchronized Page<Entry> failedNewestFirst(List<String> sites, YearMonth month, Instant from, Instant to,
            String after, int limit) {
        return SortedPages.page(byDevice.values().stream().flatMap(h -> h.values().stream()).filter(e -> {
            Instant t = e.event().event().timestamp();
            return e.event().event().failed() && YearMonth.from(t.atZone(ZoneOffset.UTC)).equals(month)
                    && !t.isBefore(from) && t.isBefore(to)
                    && (sites == null || e.site() != null && sites.contains(e.site()));
        }).toList(), MemorySyncHistory::errorKey, true, after, limit);
    }

    private static String errorKey(Entry e) {
        return String.format(Locale.ROOT, "%013d#%s#%s", e.event().event().timestamp().toEpochMilli(),
                e.event().event().deviceId(), e.event().event().eventId());
    }
}
