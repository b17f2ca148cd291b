package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.doubleOr;
import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.longOr;
import static com.pisync.aws.dynamodb.AttributeValues.longOrNull;
import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.putIfPresent;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sync-events (history) table items of a device, sorted in device order below {@link #HISTORY_END}:
 * <ul>
 *   <li>an <em>event item</em>: one stored event, keyed by its order key;</li>
 *   <li>an <em>upload item</em>: the events of one upload that were newer than everything the device had stored,
 *       keyed by the newest of them, packed in {@link #EVENTS}. No other item's key lies inside an upload item's
 *       range (its oldest to its newest event): an event arriving late into that range joins the item;</li>
 *   <li>an <em>error entry</em> ({@link #HISTORY_END} + order key): a copy of a failed event of an upload item,
 *       carrying its entries in the error indexes (an item has one entry per index). Not part of the history.</li>
 * </ul>
 */
public final class SyncEventItems {

    public static final String DEVICE_ID = "device_id";
    public static final String ORDER_KEY = "order_key";
    public static final String EVENT_ID = "event_id";
    public static final String TIMESTAMP = "timestamp";
    public static final String SEQ = "seq";
    public static final String TOTAL_FILES_SYNCED = "total_files_synced";
    public static final String TOTAL_ERRORS = "total_errors";
    public static final String INTERNET_SPEED = "internet_speed";
    public static final String ERROR_CODE = "error_code";
    public static final String ERROR_MESSAGE = "error_message";
    public static final String PENDING_FILES = "pending_files";
    public static final String COMMAND_ID = "command_id";
    public static final String OLDEST_PENDING_AT = "oldest_pending_at";
    public static final String RECEIVED_AT = "received_at";
    public static final String OUTCOME = "outcome";
    /** TTL attribute: epoch seconds after which DynamoDB deletes the item. */
    public static final String EXPIRES_AT = "expires_at";
    public static final String SITE = "site";
    /** An upload item's events, packed ({@link UploadEvents}), and how many (the guard of a late event joining). */
    public static final String EVENTS = "events";
    public static final String EVENT_COUNT = "event_count";
    /** History keys sort below it ("q…", "t…"); error entries are keyed above it. */
    public static final String HISTORY_END = "~";

    /** Errors across devices, newest first: sparse index of failed events, by month and write shard. */
    public static final String ERRORS = "errors";
    public static final String ERRORS_BY_SITE = "errors_by_site";
    public static final String ERR_PK = "err_pk";
    public static final String SITE_ERR_PK = "site_err_pk";
    public static final String ERR_SK = "err_sk";

    private SyncEventItems() {
    }

    public static Map<String, AttributeValue> key(String deviceId, String orderKey) {
        return Map.of(DEVICE_ID, s(deviceId), ORDER_KEY, s(orderKey));
    }

    /**
     * @param site the device's site when the event was stored (for errors by site), or null
     */
    public static Map<String, AttributeValue> toItem(ReceivedSyncEvent received, String site, Duration retention) {
        SyncEvent e = received.event();
        Map<String, AttributeValue> item = new HashMap<>(key(e.deviceId(), e.orderKey()));
        item.put(EVENT_ID, s(e.eventId()));
        item.put(TIMESTAMP, time(e.timestamp()));
        putIfPresent(item, SEQ, e.seq());
        item.put(TOTAL_FILES_SYNCED, n(e.totalFilesSynced()));
        item.put(TOTAL_ERRORS, n(e.totalErrors()));
        item.put(INTERNET_SPEED, n(e.internetSpeed()));
        putIfPresent(item, ERROR_CODE, e.errorCode());
        putIfPresent(item, ERROR_MESSAGE, e.errorMessage());
        putIfPresent(item, PENDING_FILES, e.pendingFiles());
        putIfPresent(item, COMMAND_ID, e.commandId());
        putIfPresent(item, OLDEST_PENDING_AT, e.oldestPendingAt());
        item.put(RECEIVED_AT, time(received.receivedAt()));
        item.put(OUTCOME, s(e.outcome().wireName()));
        // Retention counts from the server's receipt: device clocks may be years off.
        item.put(EXPIRES_AT, n(received.receivedAt().plus(retention).getEpochSecond()));
        putIfPresent(item, SITE, site);
        if (e.failed()) {
            String month = errorMonth(e.timestamp());
            item.put(ERR_PK, s(month + "#" + Shards.of(e.deviceId())));
            item.put(ERR_SK, s(errorSortKey(e)));
            if (site != null) {
                item.put(SITE_ERR_PK, s(site + "#" + month));
            }
        }
        return item;
    }

    /**
     * The item of an upload's events (two or more, all newer than the device's stored events), keyed by the newest.
     * Its receipt (for retention) is the newest receipt among them.
     */
    public static Map<String, AttributeValue> uploadItem(List<ReceivedSyncEvent> events, String site, Duration retention) {
        List<ReceivedSyncEvent> sorted = events.stream().sorted(Comparator.comparing(ReceivedSyncEvent::orderKey)).toList();
        ReceivedSyncEvent newest = sorted.get(sorted.size() - 1);
        Instant received = sorted.stream().map(ReceivedSyncEvent::receivedAt).max(Comparator.naturalOrder()).orElseThrow();
        Map<String, AttributeValue> item = new HashMap<>(key(newest.event().deviceId(), newest.orderKey()));
        item.put(EVENTS, AttributeValue.fromB(SdkBytes.fromByteArray(UploadEvents.pack(sorted))));
        item.put(EVENT_COUNT, n(sorted.size()));
        item.put(EXPIRES_AT, n(received.plus(retention).getEpochSecond()));
        putIfPresent(item, SITE, site);
        return item;
    }

    /** The error entry of a failed event kept in an upload item: the event item, keyed outside the history. */
    public static Map<String, AttributeValue> errorEntry(ReceivedSyncEvent failed, String site, Duration retention) {
        Map<String, AttributeValue> item = toItem(failed, site, retention);
        item.put(ORDER_KEY, s(HISTORY_END + failed.orderKey()));
        return item;
    }

    /** True for the order key of an error entry (not part of the history). */
    public static boolean isErrorEntry(String orderKey) {
        return orderKey.startsWith(HISTORY_END);
    }

    /** True for an upload item. */
    public static boolean isUpload(Map<String, AttributeValue> item) {
        return item.containsKey(EVENTS);
    }

    /** The stored events of a history item (one for an event item), oldest first. */
    public static List<ReceivedSyncEvent> events(Map<String, AttributeValue> item) {
        return isUpload(item) ? uploadEvents(string(item, DEVICE_ID), item.get(EVENTS).b().asByteArray())
                : List.of(fromItem(item));
    }

    /** The events packed in an upload item's {@link #EVENTS} (also read from stream images), oldest first. */
    public static List<ReceivedSyncEvent> uploadEvents(String deviceId, byte[] packed) {
        return UploadEvents.unpack(deviceId, packed);
    }

    /** "2026-11": errors are partitioned by the month of the event's timestamp. */
    public static String errorMonth(Instant timestamp) {
        return timestamp.toString().substring(0, 7);
    }

    /** Newest-first order across devices: event time, then device and event for uniqueness. */
    public static String errorSortKey(SyncEvent e) {
        return String.format(java.util.Locale.ROOT, "%013d#%s#%s", e.timestamp().toEpochMilli(), e.deviceId(),
                e.eventId());
    }

    public static ReceivedSyncEvent fromItem(Map<String, AttributeValue> item) {
        SyncEvent e = new SyncEvent(
                string(item, DEVICE_ID),
                string(item, EVENT_ID),
                instant(item, TIMESTAMP),
                longOrNull(item, SEQ),
                longOr(item, TOTAL_FILES_SYNCED, 0),
                longOr(item, TOTAL_ERRORS, 0),
                doubleOr(item, INTERNET_SPEED, 0),
                string(item, ERROR_CODE),
                string(item, ERROR_MESSAGE),
                longOrNull(item, PENDING_FILES),
                string(item, COMMAND_ID),
                instant(item, OLDEST_PENDING_AT));
        return new ReceivedSyncEvent(e, instant(item, RECEIVED_AT));
    }
}
