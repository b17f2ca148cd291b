package com.pisync.aws;

import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import java.time.Duration;
import java.util.Map;

/**
 * Every setting a function reads, in one typed place. Values come from the function's environment
 * (set by the CDK app, or by the local runner); defaults are the contract's.
 */
public record PiSyncConfig(
        String devicesTable,
        String syncEventsTable,
        String alertsTable,
        String syncRequestsTable,
        String statsTable,
        String auditTable,
        String sitesTable,
        String liveTable,
        String incidentsTable,
        String syncEventsQueueUrl,
        String alertsTopicArn,
        int failureThreshold,
        Duration offlineWindow,
        Duration historyRetention,
        String dashboardUrl) {

    /** Where notifications link to when DASHBOARD_URL is not set: the local runner's dashboard. */
    public static final String DEFAULT_DASHBOARD_URL = "http://127.0.0.1:8080";

    public static final int DEFAULT_RETENTION_DAYS = 400;

    public static PiSyncConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static PiSyncConfig from(Map<String, String> env) {
        return new PiSyncConfig(
                env.getOrDefault("DEVICES_TABLE", "pisync-devices"),
                env.getOrDefault("SYNC_EVENTS_TABLE", "pisync-sync-events"),
                env.getOrDefault("ALERTS_TABLE", "pisync-alerts"),
                env.getOrDefault("SYNC_REQUESTS_TABLE", "pisync-sync-requests"),
                env.getOrDefault("STATS_TABLE", "pisync-stats"),
                env.getOrDefault("AUDIT_TABLE", "pisync-audit"),
                env.getOrDefault("SITES_TABLE", "pisync-sites"),
                env.getOrDefault("LIVE_TABLE", "pisync-live"),
                env.getOrDefault("INCIDENTS_TABLE", "pisync-incidents"),
                env.get("SYNC_EVENTS_QUEUE_URL"),
                env.get("ALERTS_TOPIC_ARN"),
                intSetting(env, "FAILURE_THRESHOLD", DeviceStateUpdater.DEFAULT_FAILURE_THRESHOLD),
                Duration.ofMinutes(intSetting(env, "OFFLINE_AFTER_MINUTES",
                        (int) DeviceStatus.DEFAULT_OFFLINE_WINDOW.toMinutes())),
                Duration.ofDays(intSetting(env, "HISTORY_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
                env.getOrDefault("DASHBOARD_URL", DEFAULT_DASHBOARD_URL));
    }

    /** Local stacks and tests name their own tables, queue and topic. */
    public PiSyncConfig withResources(String tablePrefix, String queueUrl, String topicArn) {
        return new PiSyncConfig(tablePrefix + "devices", tablePrefix + "sync-events", tablePrefix + "alerts",
                tablePrefix + "sync-requests", tablePrefix + "stats", tablePrefix + "audit", tablePrefix + "sites", tablePrefix + "live", tablePrefix + "incidents", queueUrl, topicArn, failureThreshold, offlineWindow, historyRetention,
                dashboardUrl);
    }

    public PiSyncConfig withFailureThreshold(int threshold) {
        return new PiSyncConfig(devicesTable, syncEventsTable, alertsTable, syncRequestsTable, statsTable, auditTable,
                sitesTable, liveTable, incidentsTable, syncEventsQueueUrl, alertsTopicArn, threshold, offlineWindow,
                historyRetention, dashboardUrl);
    }

    /** Notifications link to this dashboard. */
    public PiSyncConfig withDashboardUrl(String url) {
        return new PiSyncConfig(devicesTable, syncEventsTable, alertsTable, syncRequestsTable, statsTable, auditTable,
                sitesTable, liveTable, incidentsTable, syncEventsQueueUrl, alertsTopicArn, failureThreshold, offlineWindow,
                historyRetention, url);
    }

    private static int intSetting(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, got '" + value + "'", e);
        }
    }
}
