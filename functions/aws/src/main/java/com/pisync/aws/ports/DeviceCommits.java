package com.pisync.aws.ports;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A device's item as the processor changes it: read it, then commit the new sync state only if nobody wrote the
 * device since that read (the version guard every device write shares). See docs/data-model.md, "How the
 * processor stores an event exactly once".
 */
public interface DeviceCommits {

    /**
     * The device as stored; {@code exists()} is false when there is no item. An eventually consistent read may be
     * stale: a commit based on it fails its version check, so callers may start with one and read consistently on
     * retry.
     */
    DeviceRecord load(String deviceId, boolean consistent);

    /**
     * Writes the new sync state and status, the in-flight keys (replacing the stored ones), the failure days, the
     * offline time and the new alert transitions as outbox entries, if the device is as {@code before} was read
     * (same version, or still absent); the version goes up. Registry facts (name, site, tags...) are kept.
     *
     * @return false when another write came first (read again and retry); nothing was written
     */
    default boolean commit(DeviceRecord before, DeviceState after, DeviceStatus status, Set<String> inflight,
            List<AlertTransition> newTransitions, Map<String, Integer> failureDays, DeviceRegistry.OfflineTime offline,
            Instant now) {
        return commit(before, after, status, inflight, newTransitions, failureDays, offline, now, null);
    }

    /**
     * As above, the new outbox entries written already held by {@code lease} (null: unclaimed): the committer
     * publishes them next without a separate claim write (docs/data-model.md, "Alert outbox").
     */
    boolean commit(DeviceRecord before, DeviceState after, DeviceStatus status, Set<String> inflight,
            List<AlertTransition> newTransitions, Map<String, Integer> failureDays, DeviceRegistry.OfflineTime offline,
            Instant now, OutboxLease lease);

    /** A hold on outbox entries: who holds them and until when (epoch ms), as a claim does. */
    record OutboxLease(String holder, long until) {

        /** Longer than a publish can take, shorter than the queue's visibility timeout. */
        public static final java.time.Duration DURATION = java.time.Duration.ofSeconds(60);

        /** A new holder's lease from {@code now}. */
        public static OutboxLease from(Instant now) {
            return new OutboxLease(java.util.UUID.randomUUID().toString(), now.plus(DURATION).toEpochMilli());
        }
    }
}
