package com.pisync.aws.views;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.HttpApi;
import com.pisync.domain.Alert;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncRequest;
import java.time.Duration;
import java.time.Instant;

/** The JSON the API answers with, one method per resource of the contract. */
public final class Views {

    private Views() {
    }

    /** How a device's status is decided on read (offline depends on the time of the read). */
    public record StatusPolicy(int failureThreshold, Duration offlineWindow) {
    }

    /**
     * The stored calendar-aware {@code offline_at}; for an item written before v1.1, the last upload plus
     * the configured window (what it was then). Null for a decommissioned or never-synced device.
     */
    public static Instant offlineAt(Device device, StatusPolicy policy) {
        DeviceState s = device.state();
        if (device.decommissioned() || s.lastSeenAt() == null) {
            return null;
        }
        return device.offlineAt() != null ? device.offlineAt() : s.lastSeenAt().plus(policy.offlineWindow());
    }

    public static ObjectNode device(Device device, StatusPolicy policy, Instant now) {
        DeviceState s = device.state();
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("device_id", device.deviceId());
        n.put("name", device.name());
        n.put("type", device.type());
        n.put("site", device.site());
        ArrayNode tags = n.putArray("tags");
        device.tags().forEach(tags::add);
        Instant offlineAt = offlineAt(device, policy);
        n.put("status", DeviceStatus.of(device.decommissioned(), s, policy.failureThreshold(), offlineAt, now)
                .wireName());
        n.put("created_at", time(device.createdAt()));
        n.put("last_attempt_at", time(s.lastAttemptAt()));
        n.put("last_sync_at", time(s.lastSyncAt()));
        n.put("last_status", s.lastStatus() == null ? null : s.lastStatus().wireName());
        n.put("consecutive_failures", s.consecutiveFailures());
        n.put("streak_started_at", time(s.streakStartedAt()));
        n.put("last_error", s.lastError());
        n.put("last_error_code", s.lastErrorCode());
        n.put("last_failure_at", time(s.lastFailureAt()));
        n.put("total_syncs", s.totalSyncs());
        n.put("total_failures", s.totalFailures());
        if (s.pendingFiles() == null) {
            n.putNull("pending_files");
        } else {
            n.put("pending_files", s.pendingFiles());
        }
        n.put("last_seen_at", time(s.lastSeenAt()));
        n.put("offline_at", time(offlineAt));
        n.put("oldest_pending_at", time(s.oldestPendingAt()));
        n.put("data_at_risk_since", time(s.dataAtRiskSince()));
        n.put("decommissioned_at", time(device.decommissionedAt()));
        n.put("open_alert_id", s.openAlert() == null ? null : s.openAlert().alertId());
        return n;
    }

    /**
     * A site (contract v1.1): its profile, its devices by status (the fleet counters of the site) and its open
     * incident ({@code null} until site incidents exist).
     */
    public static ObjectNode site(com.pisync.domain.SiteProfile p, com.pisync.aws.stats.FleetStats.Devices devices,
            com.fasterxml.jackson.databind.JsonNode openIncident) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("site", p.site());
        n.put("name", p.name());
        n.put("timezone", p.timezone());
        ArrayNode days = n.putArray("school_days");
        p.schoolDays().forEach(d -> days.add(com.pisync.domain.SiteProfile.dayName(d)));
        if (p.schoolFrom() == null) {
            n.putNull("school_hours");
        } else {
            n.putObject("school_hours").put("from", com.pisync.domain.SiteProfile.hhmm(p.schoolFrom()))
                    .put("to", com.pisync.domain.SiteProfile.hhmm(p.schoolTo()));
        }
        ArrayNode holidays = n.putArray("holidays");
        p.holidays().forEach(h -> holidays.addObject().put("from", h.from().toString()).put("to", h.to().toString())
                .put("name", h.name()));
        n.put("offline_after_hours", p.offlineAfterHours());
        n.put("incident_ratio", p.incidentRatio());
        n.put("incident_min_devices", p.incidentMinDevices());
        n.put("configured", p.configured());
        n.put("updated_at", time(p.updatedAt()));
        ObjectNode d = n.putObject("devices");
        d.put("total", devices.total());
        d.put("healthy", devices.healthy());
        d.put("failing", devices.failing());
        d.put("offline", devices.offline());
        d.put("never_synced", devices.neverSynced());
        d.put("decommissioned", devices.decommissioned());
        n.set("open_incident", openIncident == null ? HttpApi.JSON.nullNode() : openIncident);
        return n;
    }

    public static ObjectNode syncEvent(ReceivedSyncEvent received, String site, boolean withSite) {
        SyncEvent e = received.event();
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("event_id", e.eventId());
        n.put("device_id", e.deviceId());
        if (withSite) {
            n.put("site", site);
        }
        n.put("timestamp", time(e.timestamp()));
        if (e.seq() == null) {
            n.putNull("seq");
        } else {
            n.put("seq", e.seq());
        }
        n.put("total_files_synced", e.totalFilesSynced());
        n.put("total_errors", e.totalErrors());
        n.put("internet_speed", e.internetSpeed());
        n.put("error_code", e.errorCode());
        n.put("error_message", e.errorMessage());
        if (e.pendingFiles() == null) {
            n.putNull("pending_files");
        } else {
            n.put("pending_files", e.pendingFiles());
        }
        n.put("command_id", e.commandId());
        n.put("oldest_pending_at", time(e.oldestPendingAt()));
        n.put("received_at", time(received.receivedAt()));
        n.put("outcome", e.outcome().wireName());
        return n;
    }

    public static ObjectNode alert(Alert a) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("alert_id", a.alertId());
        n.put("device_id", a.deviceId());
        n.put("site", a.site());
        n.put("type", Alert.TYPE);
        n.put("state", a.state().wireName());
        n.put("consecutive_failures", a.consecutiveFailures());
        n.put("streak_started_at", time(a.streakStartedAt()));
        n.put("opened_at", time(a.openedAt()));
        n.put("resolved_at", time(a.resolvedAt()));
        n.put("last_error", a.lastError());
        n.put("incident_id", a.incidentId());
        return n;
    }

    public static ObjectNode syncRequest(SyncRequest request, Instant now) {
        SyncRequest r = request.asOf(now);
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("request_id", r.requestId());
        n.put("device_id", r.deviceId());
        n.put("type", SyncRequest.TYPE);
        n.put("status", r.status().wireName());
        n.put("requested_at", time(r.requestedAt()));
        n.put("expires_at", time(r.expiresAt()));
        n.put("delivered_at", time(r.deliveredAt()));
        n.put("completed_at", time(r.completedAt()));
        n.put("event_id", r.eventId());
        return n;
    }

    /** What a device receives in {@code commands}. */
    public static ObjectNode command(SyncRequest r) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("request_id", r.requestId());
        n.put("type", SyncRequest.TYPE);
        n.put("requested_at", time(r.requestedAt()));
        n.put("expires_at", time(r.expiresAt()));
        return n;
    }

    public static ObjectNode list(Iterable<? extends com.fasterxml.jackson.databind.JsonNode> items, String nextCursor) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        ArrayNode array = n.putArray("items");
        items.forEach(array::add);
        n.put("next_cursor", nextCursor);
        return n;
    }

    public static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
