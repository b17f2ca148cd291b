package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.s;

import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The device item's index keys, derived from its status, site, streak and last upload. Every writer
 * (processor, admin API, offline sweep) sets them through here so the indexes never disagree with the
 * item. Sparse keys are removed (null) when the device leaves the index.
 */
public final class DeviceIndexes {

    public static final String ALL_DEVICES = "all_devices";
    public static final String BY_NAME = "by_name";
    public static final String BY_STATUS = "by_status";
    public static final String BY_SITE = "by_site";
    public static final String BY_SITE_STATUS = "by_site_status";
    public static final String FAILING = "failing";
    public static final String OFFLINE_WATCH = "offline_watch";
    public static final String RECENT_FAILURES = "recent_failures";

    public static final String LIST_SHARD = "list_shard";
    public static final String NAME_KEY = "name_key";
    public static final String STATUS_SHARD = "status_shard";
    public static final String SITE_STATUS = "site_status";
    public static final String FAILING_SHARD = "failing_shard";
    public static final String FAILING_RANK = "failing_rank";
    public static final String WATCH_SHARD = "watch_shard";
    public static final String SEEN_HOUR = "seen_hour";
    public static final String RF_SHARD = "rf_shard";
    /** Newest day with a failure, then the device id: candidates for "repeated failures since". */
    public static final String RF_KEY = "rf_key";

    /** Keys of the recent-failures index for these per-day failure counts (null: leave the index). */
    public static Map<String, AttributeValue> forFailureDays(String deviceId, Map<String, Integer> failureDays) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        if (failureDays.isEmpty()) {
            a.put(RF_SHARD, null);
            a.put(RF_KEY, null);
        } else {
            String newest = new java.util.TreeSet<>(failureDays.keySet()).last();
            a.put(RF_SHARD, s(Shards.of(deviceId)));
            a.put(RF_KEY, s(newest + "#" + deviceId));
        }
        return a;
    }

    private DeviceIndexes() {
    }

    /** Keys that follow the status: name → value, or null to remove. */
    public static Map<String, AttributeValue> forStatus(String deviceId, String site, DeviceStatus status,
            int consecutiveFailures, Instant lastSeenAt) {
        String shard = Shards.of(deviceId);
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        a.put(LIST_SHARD, s(shard));
        a.put(DeviceItems.STATUS, s(status.wireName()));
        a.put(STATUS_SHARD, s(status.wireName() + "#" + shard));
        a.put(SITE_STATUS, site == null ? null : s(site + "#" + status.wireName()));
        boolean failing = status == DeviceStatus.FAILING;
        a.put(FAILING_SHARD, failing ? s(shard) : null);
        a.put(FAILING_RANK, failing ? s(failingRank(consecutiveFailures, deviceId)) : null);
        // Only a healthy device can turn offline (failing ranks above offline); the sweep watches those.
        boolean watched = status == DeviceStatus.HEALTHY && lastSeenAt != null;
        a.put(WATCH_SHARD, watched ? s(shard) : null);
        a.put(SEEN_HOUR, watched ? s(seenHour(lastSeenAt)) : null);
        return a;
    }

    /** Longest streak sorts last, so the failing list reads the index backwards. */
    public static String failingRank(int consecutiveFailures, String deviceId) {
        return String.format(Locale.ROOT, "%010d#%s", consecutiveFailures, deviceId);
    }

    /**
     * The hour of the last upload. The offline index is keyed by hour, not by the exact time, so a
     * device syncing often changes its index entry at most once an hour instead of on every event.
     */
    public static String seenHour(Instant lastSeenAt) {
        return lastSeenAt.truncatedTo(ChronoUnit.HOURS).toString();
    }

    public static String nameKey(String name, String deviceId) {
        return name.toLowerCase(Locale.ROOT) + "#" + deviceId;
    }
}
