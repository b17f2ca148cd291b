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
        String syncEventsQueueUrl,
        String alertsTopicArn,
        int failureThreshold,
        Duration offlineWindow,
        Duration historyRetention) {

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
                env.get("SYNC_EVENTS_QUEUE_URL"),
                env.get("ALERTS_TOPIC_ARN"),
                intSetting(env, "FAILURE_THRESHOLD", DeviceStateUpdater.DEFAULT_FAILURE_THRESHOLD),
                Duration.ofMinutes(intSetting(env, "OFFLINE_AFTER_MINUTES",
                        (int) DeviceStatus.DEFAULT_OFFLINE_WINDOW.toMinutes())),
                Duration.ofDays(intSetting(env, "HISTORY_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)));
    }

    /** Local stacks and tests name their own tables, queue and topic. */
    public PiSyncConfig withResources(String tablePrefix, String queueUrl, String topicArn) {
        return new PiSyncConfig(tablePrefix + "devices", tablePrefix + "sync-events", tablePrefix + "alerts",
                tablePrefix + "sync-requests", tablePrefix + "stats", queueUrl, topicArn, failureThreshold, offlineWindow, historyRetention);
    }

    public PiSyncConfig withFailureThreshold(int threshold) {
        return new PiSyncConfig(devicesTable, syncEventsTable, alertsTable, syncRequestsTable, statsTable, syncEventsQueueUrl,
                alertsTopicArn, threshold, offlineWindow, historyRetention);
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
