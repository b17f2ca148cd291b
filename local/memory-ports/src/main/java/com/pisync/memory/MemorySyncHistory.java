package com.pisync.memory;

import com.pisync.aws.ports.ErrorLog;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stored sync events in memory: a device's history in device order (its order key, newest first) and the
 * failed ones by the month of their event time, newest event time first (ties: device, then event id).
 */
public final class MemorySyncHistory implements SyncHistory, ErrorLog {

    private final List<Entry> entries = new ArrayList<>();

    /** Stores an event with the site it was stored with; storing the same event again changes nothing. */
    public synchronized MemorySyncHistory put(ReceivedSyncEvent event, String site) {
        entries.removeIf(e -> e.event().event().deviceId().equals(event.event().deviceId())
                && e.position().equals(event.orderKey()));
        entries.add(new Entry(event.orderKey(), event, site));
        return this;
    }

    @Override
    public synchronized Page<Entry> newestFirst(String deviceId, String before, int limit) {
        return SortedPages.page(entries.stream().filter(e -> e.event().event().deviceId().equals(deviceId)).toList(),
                Entry::position, true, before, limit);
    }

    @Override
    public synchronized Page<Entry> failedNewestFirst(List<String> sites, YearMonth month, Instant from, Instant to,
            String after, int limit) {
        return SortedPages.page(entries.stream().filter(e -> {
            Instant t = e.event().event().timestamp();
            return e.event().event().failed() && YearMonth.from(t.atZone(ZoneOffset.UTC)).equals(month)
                    && !t.isBefore(from) && t.isBefore(to) && (sites == null || sites.contains(e.site()));
        }).toList(), MemorySyncHistory::errorKey, true, after, limit);
    }

    private static String errorKey(Entry e) {
        return String.format(Locale.ROOT, "%013d#%s#%s", e.event().event().timestamp().toEpochMilli(),
                e.event().event().deviceId(), e.event().event().eventId());
    }
}
