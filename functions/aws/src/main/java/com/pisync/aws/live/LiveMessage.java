package com.pisync.aws.live;

/**
 * One message for the dashboards: its {@code type} ({@code device.updated}, {@code alert.opened}...), the site of
 * what changed (who may receive it; null: only users not bound to sites), a key naming the thing (a later
 * message with the same key in one delivery replaces an earlier one), and the JSON text sent.
 */
public record LiveMessage(String type, String site, String key, String json) {

    public static final String DEVICE_UPDATED = "device.updated";
    public static final String ALERT_OPENED = "alert.opened";
    public static final String ALERT_RESOLVED = "alert.resolved";
    /** A site incident opened or resolved (the incidents table's stream, see LiveChanges). */
    public static final String INCIDENT_OPENED = "incident.opened";
    public static final String INCIDENT_RESOLVED = "incident.resolved";
    public static final String SYNC_REQUEST_UPDATED = "sync_request.updated";
}
