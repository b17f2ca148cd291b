package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.longOr;
import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.putIfPresent;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;

import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The alerts table item, also embedded as a map in the device item (its open alert and its
 * outbox). Layout: docs/data-model.md.
 */
public final class AlertItems {

    public static final String ALERT_ID = "alert_id";
    public static final String DEVICE_ID = "device_id";
    public static final String SITE = "site";
    public static final String TYPE = "type";
    public static final String STATE = "state";
    public static final String CONSECUTIVE_FAILURES = "consecutive_failures";
    public static final String STREAK_STARTED_AT = "streak_started_at";
    public static final String OPENED_AT = "opened_at";
    public static final String RESOLVED_AT = "resolved_at";
    public static final String LAST_ERROR = "last_error";
    /** The site incident the alert was filed under (contract v1.1); absent outside incidents. */
    public static final String INCIDENT_ID = "incident_id";

    public static final String ALL_ALERTS = "all_alerts";
    public static final String BY_STATE = "by_state";
    public static final String BY_DEVICE = "by_device";
    public static final String BY_SITE = "by_site";
    public static final String ALL_SHARD = "all_shard";
    public static final String STATE_SHARD = "state_shard";
    /** Newest-first order: opened_at then alert id. */
    public static final String OPENED_KEY = "opened_key";

    private AlertItems() {
    }

    public static Map<String, AttributeValue> toItem(Alert a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ALERT_ID, s(a.alertId()));
        item.put(DEVICE_ID, s(a.deviceId()));
        putIfPresent(item, SITE, a.site());
        item.put(TYPE, s(Alert.TYPE));
        item.put(STATE, s(a.state().wireName()));
        item.put(CONSECUTIVE_FAILURES, n(a.consecutiveFailures()));
        putIfPresent(item, STREAK_STARTED_AT, a.streakStartedAt());
        putIfPresent(item, OPENED_AT, a.openedAt());
        putIfPresent(item, RESOLVED_AT, a.resolvedAt());
        putIfPresent(item, LAST_ERROR, a.lastError());
        putIfPresent(item, INCIDENT_ID, a.incidentId());
        return item;
    }

    /** The alerts-table item: the alert plus its index keys (not kept in the device item's copies). */
    public static Map<String, AttributeValue> toTableItem(Alert a) {
        Map<String, AttributeValue> item = toItem(a);
        String shard = Shards.of(a.deviceId());
        item.put(ALL_SHARD, s(shard));
        item.put(STATE_SHARD, s(a.state().wireName() + "#" + shard));
        item.put(OPENED_KEY, s(openedKey(a.openedAt(), a.alertId())));
        return item;
    }

    /** Fixed-width, so that it sorts as time does. */
    public static String openedKey(java.time.Instant openedAt, String alertId) {
        return String.format(java.util.Locale.ROOT, "%013d#%s", openedAt.toEpochMilli(), alertId);
    }

    public static Alert fromItem(Map<String, AttributeValue> item) {
        return new Alert(
                string(item, ALERT_ID),
                string(item, DEVICE_ID),
                string(item, SITE),
                AlertState.fromWireName(string(item, STATE)),
                (int) longOr(item, CONSECUTIVE_FAILURES, 0),
                instant(item, STREAK_STARTED_AT),
                instant(item, OPENED_AT),
                instant(item, RESOLVED_AT),
                string(item, LAST_ERROR),
                string(item, INCIDENT_ID));
    }
}
