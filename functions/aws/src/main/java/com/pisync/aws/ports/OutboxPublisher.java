package com.pisync.aws.ports;

import com.pisync.aws.dynamodb.DeviceRecord;
import java.util.List;

/** Publishes the alert transitions a device commit left in its outbox, each once, and removes them. */
public interface OutboxPublisher {

    /**
     * Publishes the entries in order; an entry already published is skipped. Stops at the first that cannot be
     * published now and throws: the entry stays for a retry.
     */
    default void flush(String deviceId, List<DeviceRecord.OutboxEntry> entries) {
        flush(deviceId, entries, null);
    }

    /**
     * As {@link #flush(String, List)}; entries held by {@code own} (the caller's commit wrote them so) are published
     * without being claimed again. The entries must be read after that commit (a consistent read): an entry held by
     * {@code own} is taken as still there, since no other publisher can have taken it while the lease runs.
     */
    void flush(String deviceId, List<DeviceRecord.OutboxEntry> entries, DeviceCommits.OutboxLease own);
}
