package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.s;

import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureDays;
import com.pisync.domain.FailureRanking;
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
    /** Healthy devices by the hour their offline_at falls in (contract v1.1; replaced offline_watch by seen hour). */
    public static final String OFFLINE_DUE = "offline_due";
    /** Devices holding unsynced data, oldest data_at_risk_since first (16 write shards). */
    public static final String AT_RISK = "at_risk";
    /** The same, per site. */
    public static final String AT_RISK_BY_SITE = "at_risk_by_site";
    /** Devices that failed in the kept days, by a bound on their failures (the repeated-failures ranking). */
    public static final String FAILURE_RANK = "failure_rank";
    /** Devices holding alert transitions that no processor run will publish (decommissioned); the sweeper retries them. */
    public static final String PENDING_ALERTS = "pending_alerts";

    public static final String LIST_SHARD = "list_shard";
    public static final String NAME_KEY = "name_key";
    public static final String STATUS_SHARD = "status_shard";
    public static final String SITE_STATUS = "site_status";
    public static final String FAILING_SHARD = "failing_shard";
    public static final String FAILING_RANK = "failing_rank";
    public static final String WATCH_SHARD = "watch_shard";
    public static final String OFFLINE_HOUR = "offline_hour";
    public static final String RISK_SHARD = "risk_shard";
    public static final String RISK_SITE = "risk_site";
    /** data_at_risk_since (epoch ms, 13 digits), more pending files first (inverted count), device id. */
    public static final String RISK_KEY = "risk_key";
    public static final String RF_SHARD = "rf_shard";
    public static final String ALERTS_SHARD = "alerts_shard";
    /** When the unpublished transition was committed (ISO-8601): the sweeper retries those older than a lease. */
    public static final String ALERTS_PENDING_SINCE = "alerts_pending_since";
    /** Bound on the kept failures (FailureRanking.bound, inverted), then the device id: the failure ranking. */
    public static final String RF_RANK = "rf_rank";
    /** The key of the index failure_rank replaced (newest failure day, device id): removed on the next write. */
    static final String RF_KEY_REPLACED = "rf_key";

    /** Keys of the failure ranking for these per-day failure counts (null: leave the index). */
    public static Map<String, AttributeValue> forFailureDays(String deviceId, Map<String, Integer> failureDays) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        int total = FailureDays.total(failureDays);
        a.put(RF_SHARD, total == 0 ? null : s(Shards.of(deviceId)));
        a.put(RF_RANK, total == 0 ? null : s(FailureRanking.rankKey(FailureRanking.bound(total), deviceId)));
        a.put(RF_KEY_REPLACED, null);
        return a;
    }

    private DeviceIndexes() {
    }

    /** Keys of the pending-alerts index: the device waits there from {@code since} (null: leave the index). */
    public static Map<String, AttributeValue> forPendingAlerts(String deviceId, Instant since) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        a.put(ALERTS_SHARD, since == null ? null : s(Shards.of(deviceId)));
        a.put(ALERTS_PENDING_SINCE, since == null ? null : s(since.toString()));
        return a;
    }

    /**
     * Keys that follow the status, and {@code offline_at} itself: name → value, or null to remove.
     *
     * @param offlineAt when the device turns offline if it stays silent (null: never, or never synced)
     */
    public static Map<String, AttributeValue> forStatus(String deviceId, String site, DeviceStatus status,
            int consecutiveFailures, Instant offlineAt) {
        String shard = Shards.of(deviceId);
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        a.put(LIST_SHARD, s(shard));
        a.put(DeviceItems.STATUS, s(status.wireName()));
        a.put(STATUS_SHARD, s(status.wireName() + "#" + shard));
        a.put(SITE_STATUS, site == null ? null : s(site + "#" + status.wireName()));
        boolean failing = status == DeviceStatus.FAILING;
        a.put(FAILING_SHARD, failing ? s(shard) : null);
        a.put(FAILING_RANK, failing ? s(failingRank(consecutiveFailures, deviceId)) : null);
        a.put(DeviceItems.OFFLINE_AT, AttributeValues.compactTime(offlineAt));
        // Only a healthy device can turn offline (failing ranks above offline); the sweep watches those.
        boolean watched = status == DeviceStatus.HEALTHY && offlineAt != null;
        a.put(WATCH_SHARD, watched ? s(shard) : null);
        a.put(OFFLINE_HOUR, watched ? s(offlineHour(offlineAt)) : null);
        return a;
    }

    /**
     * As {@link #forStatus}, for a commit of a device whose sync moved {@code offline_at} later: a watched device
     * keeps the {@code offline_hour} it has when that hour is not later than the new one. A device syncing ten
     * times a day would otherwise move its {@code offline_due} entry (a delete and a put: 2 write units) on nearly
     * every sync; an entry left early only makes the sweeper look at the device once its hour has passed, read the
     * item (the truth), and move the entry to the hour of its actual {@code offline_at} — about once per offline
     * window instead of once per sync.
     *
     * @param watchedHour the device's stored {@code offline_hour} (null: not watched)
     */
    public static Map<String, AttributeValue> forStatusKeepingWatch(String deviceId, String site, DeviceStatus status,
            int consecutiveFailures, Instant offlineAt, String watchedHour) {
        Map<String, AttributeValue> a = forStatus(deviceId, site, status, consecutiveFailures, offlineAt);
        AttributeValue hour = a.get(OFFLINE_HOUR);
        if (hour != null && watchedHour != null && watchedHour.compareTo(hour.s()) <= 0) {
            a.remove(WATCH_SHARD);
            a.remove(OFFLINE_HOUR);
        }
        return a;
    }

    /**
     * Keys of the at-risk indexes: present while the device holds unsynced data (pending files and an
     * oldest pending date) and is not decommissioned.
     */
    public static Map<String, AttributeValue> forRisk(String deviceId, String site, boolean decommissioned,
            com.pisync.domain.DeviceState state) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        Instant since = decommissioned ? null : state.dataAtRiskSince();
        a.put(RISK_SHARD, since == null ? null : s(Shards.of(deviceId)));
        a.put(RISK_SITE, since == null || site == null ? null : s(site));
        a.put(RISK_KEY, since == null ? null : s(riskKey(since, state.pendingFiles(), deviceId)));
        return a;
    }

    /** Oldest first, then more pending files first, then the device id. */
    public static String riskKey(Instant since, long pendingFiles, String deviceId) {
        return String.format(Locale.ROOT, "%013d#%019d#%s", Math.max(0, since.toEpochMilli()),
                Long.MAX_VALUE - pendingFiles, deviceId);
    }

    /** Every risk key of data at risk since {@code t} or earlier sorts at or below this. */
    public static String riskKeyUpTo(Instant t) {
        return String.format(Locale.ROOT, "%013d#~", Math.max(0, t.toEpochMilli()));
    }

    /**
     * The hour {@code offline_at} falls in. Keyed by hour, not the exact time, so a device syncing often
     * changes its index entry at most about once an hour instead of on every event.
     */
    public static String offlineHour(Instant offlineAt) {
        return offlineAt.truncatedTo(ChronoUnit.HOURS).toString();
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
