package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.compactTime;
import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.longOr;
import static com.pisync.aws.dynamodb.AttributeValues.longOrNull;
import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;

import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceState;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The devices table item: registry facts, sync state and processing bookkeeping in one item. */
public final class DeviceItems {

    public static final String DEVICE_ID = "device_id";
    public static final String VERSION = "version";
    public static final String SITE = "site";
    public static final String NAME = "name";
    public static final String TYPE = "type";
    public static final String TAGS = "tags";
    public static final String REGISTERED_AT = "registered_at";
    public static final String TOKEN_VERSION = "token_version";
    public static final String STATUS = "status";
    public static final String CREATED_AT = "created_at";
    public static final String DECOMMISSIONED_AT = "decommissioned_at";

    public static final String LAST_KEY = "last_key";
    public static final String LAST_ATTEMPT_AT = "last_attempt_at";
    public static final String LAST_STATUS = "last_status";
    public static final String LAST_SUCCESS_KEY = "last_success_key";
    public static final String LAST_SYNC_AT = "last_sync_at";
    public static final String LAST_FAILURE_KEY = "last_failure_key";
    public static final String LAST_FAILURE_AT = "last_failure_at";
    public static final String LAST_ERROR = "last_error";
    public static final String LAST_ERROR_CODE = "last_error_code";
    public static final String CONSECUTIVE_FAILURES = "consecutive_failures";
    public static final String STREAK_START_KEY = "streak_start_key";
    public static final String STREAK_STARTED_AT = "streak_started_at";
    public static final String TOTAL_SYNCS = "total_syncs";
    public static final String TOTAL_FAILURES = "total_failures";
    public static final String PENDING_FILES = "pending_files";
    public static final String LAST_SEEN_AT = "last_seen_at";
    /** Contract v1.1: from the newest event in device order. */
    public static final String OLDEST_PENDING_AT = "oldest_pending_at";
    /**
     * Contract v1.1: when the device counts as offline if it stays silent (its site's school calendar and
     * offline_after_hours from last_seen_at); absent on items written before v1.1 and on never-synced devices.
     */
    public static final String OFFLINE_AT = "offline_at";
    /**
     * The site profile version (its updated_at, epoch ms) {@code offline_at} was computed from; absent: no profile.
     * Written with {@code offline_at} by the processor, a site's re-evaluation and a site change.
     */
    public static final String CALENDAR_AT = "calendar_at";
    public static final String OPEN_ALERT = "open_alert";
    public static final String INFLIGHT = "inflight";
    public static final String FAILURE_DAYS = "failure_days";
    /** Prefix of one top-level attribute per unpublished alert transition. */
    public static final String OUTBOX_PREFIX = "outbox_";
    public static final String OUTBOX_TYPE = "type";
    public static final String OUTBOX_ALERT = "alert";
    public static final String OUTBOX_CLAIM = "claim";
    public static final String OUTBOX_CLAIMED_UNTIL = "claimed_until";

    private DeviceItems() {
    }

    public static Map<String, AttributeValue> key(String deviceId) {
        return Map.of(DEVICE_ID, s(deviceId));
    }

    public static DeviceRecord fromItem(String deviceId, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return new DeviceRecord(false, 0, DeviceState.initial(deviceId), null, false, java.util.Set.of(), List.of(),
                    Map.of(), null, null, null, null);
        }
        String lastStatus = string(item, LAST_STATUS);
        Outcome outcome = lastStatus == null ? null : Outcome.fromWireName(lastStatus);
        AttributeValue openAlert = item.get(OPEN_ALERT);
        String lastKey = orderKey(item, LAST_KEY);
        java.time.Instant lastAttemptAt = instant(item, LAST_ATTEMPT_AT);
        // The newest success (or failure) is not stored when it is the newest attempt (see stateAttributes).
        boolean newestSucceeded = outcome == Outcome.SUCCESS && !item.containsKey(LAST_SUCCESS_KEY);
        boolean newestFailed = outcome == Outcome.FAILED && !item.containsKey(LAST_FAILURE_KEY);
        DeviceState state = new DeviceState(
                deviceId,
                lastKey,
                lastAttemptAt,
                outcome,
                newestSucceeded ? lastKey : orderKey(item, LAST_SUCCESS_KEY),
                newestSucceeded ? lastAttemptAt : instant(item, LAST_SYNC_AT),
                newestFailed ? lastKey : orderKey(item, LAST_FAILURE_KEY),
                newestFailed ? lastAttemptAt : instant(item, LAST_FAILURE_AT),
                string(item, LAST_ERROR),
                string(item, LAST_ERROR_CODE),
                new FailureStreak((int) longOr(item, CONSECUTIVE_FAILURES, 0), orderKey(item, STREAK_START_KEY),
                        instant(item, STREAK_STARTED_AT)),
                longOr(item, TOTAL_SYNCS, 0),
                longOr(item, TOTAL_FAILURES, 0),
                longOrNull(item, PENDING_FILES),
                instant(item, LAST_SEEN_AT),
                openAlert == null ? null : openAlert(deviceId, openAlert.m(), item),
                instant(item, OLDEST_PENDING_AT));
        List<DeviceRecord.OutboxEntry> outbox = new ArrayList<>();
        item.forEach((name, value) -> {
            if (name.startsWith(OUTBOX_PREFIX)) {
                Map<String, AttributeValue> entry = value.m();
                AlertTransition t = new AlertTransition(AlertTransition.Kind.fromType(string(entry, OUTBOX_TYPE)),
                        alertFromOutbox(deviceId, entry.get(OUTBOX_ALERT).m()));
                outbox.add(new DeviceRecord.OutboxEntry(name, t, string(entry, OUTBOX_CLAIM),
                        longOr(entry, OUTBOX_CLAIMED_UNTIL, 0)));
            }
        });
        outbox.sort(java.util.Comparator.comparing(DeviceRecord.OutboxEntry::attribute));
        AttributeValue inflight = item.get(INFLIGHT);
        return new DeviceRecord(true, longOr(item, VERSION, 0), state, string(item, SITE),
                item.containsKey(DECOMMISSIONED_AT),
                inflight == null ? java.util.Set.of() : InflightKeys.keys(inflight), outbox, failureDays(item),
                string(item, STATUS), instant(item, OFFLINE_AT), calendarAt(item), string(item, DeviceIndexes.OFFLINE_HOUR));
    }

    /**
     * The sync-state attributes of an item, each name mapped to its value or to null (remove it). The newest
     * success (when the newest attempt succeeded) or the newest failure (when it failed) is the newest attempt
     * itself and is left out: with the open alert's copy kept to what the device does not already hold, that keeps
     * the item under the 1 KB of one write unit (docs/performance.md).
     */
    static Map<String, AttributeValue> stateAttributes(DeviceState s) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        a.put(LAST_KEY, storedKey(s.lastKey()));
        a.put(LAST_ATTEMPT_AT, compactTime(s.lastAttemptAt()));
        a.put(LAST_STATUS, s.lastStatus() == null ? null : s(s.lastStatus().wireName()));
        boolean newestSucceeded = s.lastStatus() == Outcome.SUCCESS && java.util.Objects.equals(s.lastSuccessKey(), s.lastKey())
                && java.util.Objects.equals(s.lastSyncAt(), s.lastAttemptAt());
        boolean newestFailed = s.lastStatus() == Outcome.FAILED && java.util.Objects.equals(s.lastFailureKey(), s.lastKey())
                && java.util.Objects.equals(s.lastFailureAt(), s.lastAttemptAt());
        a.put(LAST_SUCCESS_KEY, newestSucceeded ? null : storedKey(s.lastSuccessKey()));
        a.put(LAST_SYNC_AT, newestSucceeded ? null : compactTime(s.lastSyncAt()));
        a.put(LAST_FAILURE_KEY, newestFailed ? null : storedKey(s.lastFailureKey()));
        a.put(LAST_FAILURE_AT, newestFailed ? null : compactTime(s.lastFailureAt()));
        a.put(LAST_ERROR, str(s.lastError()));
        a.put(LAST_ERROR_CODE, str(s.lastErrorCode()));
        a.put(CONSECUTIVE_FAILURES, n(s.streak().failures()));
        a.put(STREAK_START_KEY, storedKey(s.streak().startKey()));
        a.put(STREAK_STARTED_AT, compactTime(s.streak().startedAt()));
        a.put(TOTAL_SYNCS, n(s.totalSyncs()));
        a.put(TOTAL_FAILURES, n(s.totalFailures()));
        a.put(PENDING_FILES, s.pendingFiles() == null ? null : n(s.pendingFiles()));
        a.put(LAST_SEEN_AT, compactTime(s.lastSeenAt()));
        a.put(OLDEST_PENDING_AT, compactTime(s.oldestPendingAt()));
        a.put(OPEN_ALERT, s.openAlert() == null ? null : AttributeValue.fromM(openAlertCopy(s.openAlert(), s)));
        return a;
    }

    /**
     * The device's copy of its open alert, without what the device item already says: the device id, the type and
     * the state (open), and its streak start, failures and last error while they equal the device's own (as they
     * do while the streak runs; the copy is written again at every commit, so it follows). A value the device does
     * not share is kept; a missing one the device has is stored as NULL. Copies written before this carry
     * everything, and read the same. (The site stays: it is the site the alert opened in, which a later move of the
     * device does not change.)
     */
    static Map<String, AttributeValue> openAlertCopy(com.pisync.domain.Alert alert, DeviceState device) {
        Map<String, AttributeValue> copy = new java.util.HashMap<>(AlertItems.toItem(alert));
        copy.remove(AlertItems.DEVICE_ID);
        copy.remove(AlertItems.TYPE);
        copy.remove(AlertItems.STATE);
        impliedByDevice(copy, AlertItems.STREAK_STARTED_AT, alert.streakStartedAt(), device.streak().startedAt());
        impliedByDevice(copy, AlertItems.LAST_ERROR, alert.lastError(), device.lastError());
        impliedByDevice(copy, AlertItems.CONSECUTIVE_FAILURES, alert.consecutiveFailures(), device.streak().failures());
        return copy;
    }

    private static void impliedByDevice(Map<String, AttributeValue> copy, String name, Object alertValue,
            Object deviceValue) {
        if (deviceValue == null) {
            return; // the copy says it (or both have none)
        }
        if (deviceValue.equals(alertValue)) {
            copy.remove(name);
        } else if (alertValue == null) {
            copy.put(name, AttributeValue.fromNul(true));
        }
    }

    /** The open alert from its copy, what the copy leaves out taken from the device item. */
    private static com.pisync.domain.Alert openAlert(String deviceId, Map<String, AttributeValue> copy,
            Map<String, AttributeValue> item) {
        Map<String, AttributeValue> full = new java.util.HashMap<>(copy);
        full.putIfAbsent(AlertItems.DEVICE_ID, s(deviceId));
        full.putIfAbsent(AlertItems.STATE, s(com.pisync.domain.AlertState.OPEN.wireName()));
        Map.of(AlertItems.STREAK_STARTED_AT, STREAK_STARTED_AT, AlertItems.LAST_ERROR, LAST_ERROR,
                AlertItems.CONSECUTIVE_FAILURES, CONSECUTIVE_FAILURES).forEach((alertName, deviceName) -> {
                    if (!full.containsKey(alertName) && item.get(deviceName) != null) {
                        full.put(alertName, item.get(deviceName));
                    }
                });
        return AlertItems.fromItem(full);
    }

    /** The in-flight keys as stored: unpadded (see {@link #compactKey}), compressed when that is smaller. */
    public static AttributeValue inflightValue(java.util.Set<String> orderKeys) {
        return InflightKeys.value(orderKeys);
    }

    private static AttributeValue storedKey(String orderKey) {
        return orderKey == null ? null : s(compactKey(orderKey));
    }

    private static String orderKey(Map<String, AttributeValue> item, String name) {
        String stored = string(item, name);
        return stored == null ? null : expandKey(stored);
    }

    /**
     * An order key as the device item stores it: {@code q<seq>#<event id>} / {@code t<epoch ms>#<event id>} without
     * the zero padding that makes history keys sort ({@code q0000000000000000057#…} → {@code q57#…}). The device
     * item holds up to a dozen of them (its newest keys and an upload's in-flight keys): unpadded, an upload of ten
     * keeps the item under the 1 KB of one write unit. Items written before store them padded; both read the same.
     */
    static String compactKey(String orderKey) {
        int hash = orderKey.indexOf('#');
        if (hash < 2 || (orderKey.charAt(0) != 'q' && orderKey.charAt(0) != 't')) {
            return orderKey;
        }
        int digit = 1;
        while (digit < hash - 1 && orderKey.charAt(digit) == '0') {
            digit++;
        }
        return orderKey.charAt(0) + orderKey.substring(digit);
    }

    /** The order key of a stored (compacted or padded) one. */
    static String expandKey(String stored) {
        int hash = stored.indexOf('#');
        if (hash < 2) {
            return stored;
        }
        int width = switch (stored.charAt(0)) {
            case 'q' -> 19;
            case 't' -> 13;
            default -> 0;
        };
        int digits = hash - 1;
        if (width == 0 || digits >= width) {
            return stored;
        }
        return stored.charAt(0) + "0".repeat(width - digits) + stored.substring(1);
    }

    private static java.time.Instant calendarAt(Map<String, AttributeValue> item) {
        Long millis = longOrNull(item, CALENDAR_AT);
        return millis == null ? null : java.time.Instant.ofEpochMilli(millis);
    }

    /** The compact text form (FailureDays), or the map of ISO days items written before it carry. */
    static Map<String, Integer> failureDays(Map<String, AttributeValue> item) {
        AttributeValue days = item.get(FAILURE_DAYS);
        if (days == null) {
            return Map.of();
        }
        if (days.s() != null) {
            return com.pisync.domain.FailureDays.decode(days.s());
        }
        Map<String, Integer> out = new java.util.TreeMap<>();
        if (days.hasM()) {
            days.m().forEach((day, count) -> out.put(day, Integer.parseInt(count.n())));
        }
        return out;
    }

    /** The calendar_at value of a calendar version (null: remove the attribute). */
    static AttributeValue calendarValue(java.time.Instant calendar) {
        return calendar == null ? null : n(calendar.toEpochMilli());
    }

    static AttributeValue failureDaysValue(Map<String, Integer> days) {
        return s(com.pisync.domain.FailureDays.encode(days));
    }

    /** An outbox entry, held by {@code lease} when its committer publishes it next (null: unclaimed). */
    static AttributeValue outboxEntry(AlertTransition t, com.pisync.aws.ports.DeviceCommits.OutboxLease lease) {
        Map<String, AttributeValue> entry = new LinkedHashMap<>();
        entry.put(OUTBOX_TYPE, s(t.kind().type()));
        entry.put(OUTBOX_ALERT, AttributeValue.fromM(outboxAlertItem(t.alert())));
        if (lease != null) {
            entry.put(OUTBOX_CLAIM, s(lease.holder()));
            entry.put(OUTBOX_CLAIMED_UNTIL, n(lease.until()));
        }
        return AttributeValue.fromM(entry);
    }

    /**
     * The alert as an outbox entry holds it until it is published: without the device id (the item's own) and the
     * type (always failure_streak), its times in their compact form — the entry sits in the device item through
     * the commit and the removal, and the fewer bytes keep both at one write unit. Entries written before read the
     * same.
     */
    private static Map<String, AttributeValue> outboxAlertItem(com.pisync.domain.Alert alert) {
        Map<String, AttributeValue> copy = new java.util.HashMap<>(AlertItems.toItem(alert));
        copy.remove(AlertItems.DEVICE_ID);
        copy.remove(AlertItems.TYPE);
        copy.put(AlertItems.STREAK_STARTED_AT, compactTime(alert.streakStartedAt()));
        copy.put(AlertItems.OPENED_AT, compactTime(alert.openedAt()));
        copy.put(AlertItems.RESOLVED_AT, compactTime(alert.resolvedAt()));
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    private static com.pisync.domain.Alert alertFromOutbox(String deviceId, Map<String, AttributeValue> stored) {
        Map<String, AttributeValue> full = new java.util.HashMap<>(stored);
        full.putIfAbsent(AlertItems.DEVICE_ID, s(deviceId));
        return AlertItems.fromItem(full);
    }

    /** Named by commit version and position, so entries sort in the order they happened. */
    static String outboxAttribute(long version, int index, AlertTransition t) {
        return OUTBOX_PREFIX + String.format("%012d_%03d_", version, index) + t.id();
    }

    private static AttributeValue str(Object value) {
        return value == null ? null : s(value.toString());
    }
}
