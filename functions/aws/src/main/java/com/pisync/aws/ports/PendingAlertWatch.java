package com.pisync.aws.ports;

import com.pisync.aws.dynamodb.DeviceRecord;
import java.time.Instant;

/**
 * Devices whose outbox holds alert transitions that no processor run will publish (a decommission resolves the
 * open alert, and a decommissioned device never syncs again): the sweeper's second work list, kept per write shard
 * until the outbox is empty, so reading it costs what is pending, not the fleet.
 */
public interface PendingAlertWatch {

    /** Ids of devices of {@code shard} waiting since before {@code cutoff}, oldest first (ties: device id). */
    Page<String> waitingSince(String shard, Instant cutoff, String after, int limit);

    /**
     * Takes the device off the list once its outbox, as read in {@code before}, is empty. Version-guarded: outbox
     * entries are only added by writes that bump the version, so an entry added since cannot be lost.
     *
     * @return false when the device changed since it was read (look again later)
     * @throws IllegalArgumentException when {@code before} still holds outbox entries
     */
    boolean leave(DeviceRecord before);
}
