package com.pisync.sweeper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one sweep did.
 *
 * @param cutoffHour devices whose {@code seen_hour} sorts before this were looked at
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** True when the whole index below the cutoff was handled. */
    public boolean complete() {
        return stoppedBy == null && failedShards == 0;
    }

    /** The handler's response: {"checked":n,"marked_offline":m,...}. */
    public String toJson() {
        return write(fields());
    }

    /** One structured log line for CloudWatch Logs Insights. */
    public String toLogLine() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", failedShards > 0 ? "ERROR" : "INFO");
        line.put("message", "offline sweep");
        line.putAll(fields());
        return write(line);
    }

    private Map<String, Object> fields() {
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

    private static String write(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
