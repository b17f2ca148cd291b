package com.pisync.aws.ports;

import java.time.Instant;

/**
 * Healthy devices whose calendar-aware offline time has passed: the sweeper's work list, kept per write shard
 * and only for healthy devices, so reading it costs what is due, not the fleet.
 */
public interface OfflineWatch {

    /**
     * Ids of healthy devices of {@code shard} whose offline time fell in an hour before {@code now}'s hour,
     * longest overdue first.
     */
    Page<String> due(String shard, Instant now, String after, int limit);
}
