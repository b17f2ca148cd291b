package com.pisync.aws.dynamodb;

import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceState;
import java.util.List;
import java.util.Set;

/**
 * A device item as the processor sees it: the sync state, the registry facts it needs, and the
 * bookkeeping that makes processing exactly-once (version, in-flight keys, alert outbox).
 *
 * @param exists false when the device has no item yet
 * @param version optimistic-lock counter, bumped by every state commit
 * @param inflight order keys of applied events whose history item is not yet confirmed written
 * @param outbox alert transitions committed but not yet published
 * @param failureDays failed syncs per UTC day of their timestamp, for the last 31 days
 * @param storedStatus the status attribute as stored (null for a new device)
 * @param offlineAt the stored {@code offline_at} (null: none stored, e.g. an item written before v1.1)
 * @param calendarAt the site calendar version {@code offline_at} came from (null: none, the default window)
 * @param watchedHour the stored {@code offline_hour} of the offline-due index (null: not watched); it may be earlier
 *        than {@code offline_at}'s hour (see DeviceIndexes.forStatusKeepingWatch)
 */
public record DeviceRecord(
        boolean exists,
        long version,
        DeviceState state,
        String site,
        boolean decommissioned,
        Set<String> inflight,
        List<OutboxEntry> outbox,
        java.util.Map<String, Integer> failureDays,
        String storedStatus,
        java.time.Instant offlineAt,
        java.time.Instant calendarAt,
        String watchedHour) {

    public DeviceRecord {
        inflight = Set.copyOf(inflight);
        outbox = List.copyOf(outbox);
        failureDays = java.util.Map.copyOf(failureDays);
    }

    /** True when its offline-due entry sits at an hour before the one {@code offlineAt} falls in (left by syncs). */
    public boolean watchedEarlierThan(java.time.Instant offlineAt) {
        return watchedHour != null && watchedHour.compareTo(DeviceIndexes.offlineHour(offlineAt)) < 0;
    }

    /** A committed alert transition waiting to be published; {@code claimedUntil} is epoch millis. */
    public record OutboxEntry(String attribute, AlertTransition transition, String claim, long claimedUntil) {
    }
}
