package com.pisync.aws.ports;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/** Failed sync events across devices, kept by the month of their event time. */
public interface ErrorLog {

    /**
     * Failed events of {@code month} whose event time is in [{@code from}, {@code to}), newest first by event
     * time.
     *
     * @param sites only these sites' events (null: every site)
     */
    Page<SyncHistory.Entry> failedNewestFirst(List<String> sites, YearMonth month, Instant from, Instant to,
            String after, int limit);
}
