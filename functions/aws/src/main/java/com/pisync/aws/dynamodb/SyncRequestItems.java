package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.putIfPresent;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.pisync.domain.SyncRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The sync-requests table item: one per request, under its device, newest last by id. */
public final class SyncRequestItems {

    public static final String DEVICE_ID = "device_id";
    public static final String REQUEST_ID = "request_id";
    public static final String STATUS = "status";
    public static final String REQUESTED_AT = "requested_at";
    public static final String EXPIRES_AT = "expires_at";
    public static final String DELIVERED_AT = "delivered_at";
    public static final String COMPLETED_AT = "completed_at";
    public static final String EVENT_ID = "event_id";
    /** TTL: requests are kept a while after they expire, so admins can see what happened. */
    public static final String PURGE_AT = "purge_at";
    public static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);

    private SyncRequestItems() {
    }

    public static Map<String, AttributeValue> key(String deviceId, String requestId) {
        return Map.of(DEVICE_ID, s(deviceId), REQUEST_ID, s(requestId));
    }

    public static Map<String, AttributeValue> toItem(SyncRequest r) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.deviceId(), r.requestId()));
        item.put(STATUS, s(r.status().wireName()));
        item.put(REQUESTED_AT, time(r.requestedAt()));
        item.put(EXPIRES_AT, time(r.expiresAt()));
        putIfPresent(item, DELIVERED_AT, r.deliveredAt());
        putIfPresent(item, COMPLETED_AT, r.completedAt());
        putIfPresent(item, EVENT_ID, r.eventId());
        item.put(PURGE_AT, n(r.expiresAt().plus(KEPT_AFTER_EXPIRY).getEpochSecond()));
        return item;
    }

    public static SyncRequest fromItem(Map<String, AttributeValue> item) {
        return new SyncRequest(string(item, REQUEST_ID), string(item, DEVICE_ID),
                SyncRequest.Status.fromWireName(string(item, STATUS)), instant(item, REQUESTED_AT),
                instant(item, EXPIRES_AT), instant(item, DELIVERED_AT), instant(item, COMPLETED_AT),
                string(item, EVENT_ID));
    }
}
