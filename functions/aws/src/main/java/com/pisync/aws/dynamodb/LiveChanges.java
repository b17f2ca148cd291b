package com.pisync.aws.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.live.LiveMessage;
import com.pisync.aws.views.IncidentView;
import com.pisync.aws.views.Views;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.Incident;
import com.pisync.domain.SyncRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the dashboards are told about a delivery of stream records (devices, alerts, sync_requests, incidents): each record
 * becomes at most one {@link LiveMessage} whose JSON is exactly what the API answers for the thing —
 * {@code {"type": "device.updated", "device": Device}}, {@code {"type": "alert.opened"|"alert.resolved",
 * "alert": Alert}}, {@code {"type": "sync_request.updated", "sync_request": SyncRequest}}, {@code {"type": "incident.opened"|
 * "incident.resolved", "incident": Incident}}.
 *
 * <p>A device record whose Device (as GET /v1/devices/{id} shows it) did not change — the processor's in-flight
 * markers, outbox claims — says nothing. An alert record says something when its state changes (opened, resolved).
 * A sync request names no site: its device's site is read (one GetItem per device per delivery; requests are rare).
 *
 * <p>The incidents table holds more than incidents (each site's incident state, an incident's devices, the e-mail
 * subscriptions): only incident items whose state changed say something; their counts moving while open do not.
 */
public final class LiveChanges {

    /** The tables whose streams feed live updates. */
    public enum Source { DEVICES, ALERTS, SYNC_REQUESTS, INCIDENTS, OTHER }

    private final PiSyncConfig config;
    private final Views.StatusPolicy policy;
    private final DynamoDbClient dynamo;

    public LiveChanges(DynamoDbClient dynamo, PiSyncConfig config) {
        this.dynamo = dynamo;
        this.config = config;
        this.policy = new Views.StatusPolicy(config.failureThreshold(), config.offlineWindow());
    }

    public List<LiveMessage> messages(List<DynamodbStreamRecord> records, Instant now) {
        List<LiveMessage> out = new ArrayList<>();
        Map<String, String> deviceSites = new HashMap<>();
        for (DynamodbStreamRecord r : records == null ? List.<DynamodbStreamRecord>of() : records) {
            if (r.getDynamodb() == null || "REMOVE".equals(r.getEventName())) {
                continue;
            }
            Map<String, AttributeValue> after = sdk(r.getDynamodb().getNewImage());
            Map<String, AttributeValue> before = sdk(r.getDynamodb().getOldImage());
            if (after.isEmpty()) {
                continue;
            }
            try {
                LiveMessage m = switch (sourceOf(r.getEventSourceARN())) {
                    case DEVICES -> device(before, after, now);
                    case ALERTS -> alert(before, after);
                    case SYNC_REQUESTS -> syncRequest(after, now, deviceSites);
                    case INCIDENTS -> incident(before, after);
                    case OTHER -> null;
                };
                if (m != null) {
                    out.add(m);
                }
            } catch (RuntimeException unreadable) {
                // An item the views cannot read (half-written by an older version...) is not worth a blocked stream.
                com.pisync.aws.observability.Log.of("live").warn("stream record skipped",
                        Map.of("event_id", String.valueOf(r.getEventID())), unreadable);
            }
        }
        return out;
    }

    public Source sourceOf(String streamArn) {
        String table = tableOf(streamArn);
        if (config.devicesTable().equals(table)) {
            return Source.DEVICES;
        }
        if (config.alertsTable().equals(table)) {
            return Source.ALERTS;
        }
        if (config.syncRequestsTable().equals(table)) {
            return Source.SYNC_REQUESTS;
        }
        if (config.incidentsTable().equals(table)) {
            return Source.INCIDENTS;
        }
        return Source.OTHER;
    }

    private LiveMessage device(Map<String, AttributeValue> before, Map<String, AttributeValue> after, Instant now) {
        if (!after.containsKey(DeviceItems.DEVICE_ID)) {
            return null;
        }
        ObjectNode device = Views.device(DeviceReadModel.fromItem(after), policy, now);
        if (!before.isEmpty() && device.equals(Views.device(DeviceReadModel.fromItem(before), policy, now))) {
            return null;
        }
        String id = device.path("device_id").asText();
        return message(LiveMessage.DEVICE_UPDATED, device.path("site").isNull() ? null : device.path("site").asText(),
                "device#" + id, "device", device);
    }

    private static LiveMessage alert(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Alert a = AlertItems.fromItem(after);
        AlertState was = before.isEmpty() ? null : AlertItems.fromItem(before).state();
        if (a.state() == was) {
            return null;
        }
        String type = a.state() == AlertState.OPEN ? LiveMessage.ALERT_OPENED : LiveMessage.ALERT_RESOLVED;
        return message(type, a.site(), "alert#" + a.alertId(), "alert", Views.alert(a));
    }

    private LiveMessage syncRequest(Map<String, AttributeValue> after, Instant now, Map<String, String> deviceSites) {
        String requestId = AttributeValues.string(after, SyncRequestItems.REQUEST_ID);
        if (requestId == null || requestId.startsWith("~")) { // the device's credential item shares the table
            return null;
        }
        SyncRequest r = SyncRequestItems.fromItem(after);
        String site = deviceSites.computeIfAbsent(r.deviceId(), this::siteOf);
        return message(LiveMessage.SYNC_REQUEST_UPDATED, site.isEmpty() ? null : site, "sync_request#" + r.requestId(),
                "sync_request", Views.syncRequest(r, now));
    }

    /** An incident item whose state changed: opened or resolved, the incident as GET /v1/incidents lists it. */
    private static LiveMessage incident(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        if (!IncidentStore.isIncident(after)) {
            return null;
        }
        Incident i = IncidentStore.fromItem(after);
        AlertState was = before.isEmpty() ? null : IncidentStore.fromItem(before).state();
        if (i.state() == was) {
            return null;
        }
        String type = i.state() == AlertState.OPEN ? LiveMessage.INCIDENT_OPENED : LiveMessage.INCIDENT_RESOLVED;
        return message(type, i.site(), "incident#" + i.incidentId(), "incident", IncidentView.of(i));
    }

    private String siteOf(String deviceId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(config.devicesTable())
                .key(DeviceItems.key(deviceId)).projectionExpression("#s")
                .expressionAttributeNames(Map.of("#s", DeviceItems.SITE))).item();
        String site = item == null ? null : AttributeValues.string(item, DeviceItems.SITE);
        return site == null ? "" : site;
    }

    private static LiveMessage message(String type, String site, String key, String field, JsonNode body) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("type", type);
        n.set(field, body);
        return new LiveMessage(type, site, key, n.toString());
    }

    static String tableOf(String streamArn) {
        if (streamArn == null) {
            return null;
        }
        int from = streamArn.indexOf(":table/");
        int to = streamArn.indexOf("/stream/");
        return from < 0 || to < from ? null : streamArn.substring(from + ":table/".length(), to);
    }

    /** A stream image (Lambda's event model) as the SDK's item. */
    static Map<String, AttributeValue> sdk(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        if (image != null) {
            image.forEach((k, v) -> item.put(k, sdk(v)));
        }
        return item;
    }

    private static AttributeValue sdk(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (Boolean.TRUE.equals(v.getNULL())) {
            return AttributeValue.fromNul(true);
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(v.getB().duplicate()));
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(v.getSS());
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(v.getNS());
        }
        if (v.getBS() != null) {
            return AttributeValue.fromBs(v.getBS().stream().map(ByteBuffer::duplicate).map(SdkBytes::fromByteBuffer).toList());
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(sdk(v.getM()));
        }
        if (v.getL() != null) {
            return AttributeValue.fromL(v.getL().stream().map(LiveChanges::sdk).toList());
        }
        throw new IllegalArgumentException("an attribute value of no known type");
    }
}
