package com.pisync.sweeper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one sweep did.
 *
 * @param cutoffHour devices whose {@code offline_hour} sorts before this were looked at
 * @param queries index pages read (at least one per shard)
 * @param checked index hits read back from the table
 * @param markedOffline devices set to offline by this run
 * @param stillOnline hits that are not offline on a fresh read (synced again, failing, decommissioned, deleted)
 * @param alreadyOffline hits already stored as offline (the index lagging behind an earlier run)
 * @param conflicts status updates that lost a version check (each is re-read once)
 * @param gaveUp devices left to the next run because they changed twice under the sweep
 * @param failedShards shards whose sweep threw (left to the next run)
 * @param stoppedBy null when every shard was read to the end, else {@link OfflineSweep#STOPPED_MAX_DEVICES}
 *     or {@link OfflineSweep#STOPPED_TIME_BUDGET}
 * @param error the last error of a failed shard, or null
 */
public record SweepResult(
        Instant now,
        String cutoffHour,
        int queries,
        int checked,
        int markedOffline,
        int stillOnline,
        int alreadyOffline,
        int conflicts,
        int gaveUp,
        int failedShards,
        String stoppedBy,
        String error,
        long tookMillis) {

    /** True when the whole index below the cutoff was handled. */
    public boolean complete() {
        return stoppedBy == null && failedShards == 0;
    }

    /** The summary's fields, in order. */
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("checked", checked);
        f.put("marked_offline", markedOffline);
        f.put("still_online", stillOnline);
        f.put("already_offline", alreadyOffline);
        f.put("conflicts", conflicts);
        f.put("gave_up", gaveUp);
        f.put("queries", queries);
        f.put("complete", complete());
        f.put("stopped_by", stoppedBy);
        f.put("failed_shards", failedShards);
        if (error != null) {
            f.put("error", error);
        }
        f.put("now", now.toString());
        f.put("cutoff_hour", cutoffHour);
        f.put("took_ms", tookMillis);
        return f;
    }
}
