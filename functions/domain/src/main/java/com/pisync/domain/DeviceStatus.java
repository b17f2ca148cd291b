package com.pisync.domain;

import java.time.Duration;
import java.time.Instant;

/** The one-word health of a device that the dashboard filters on. */
public enum DeviceStatus {
    NEVER_SYNCED("never_synced"),
    HEALTHY("healthy"),
    FAILING("failing"),
    OFFLINE("offline"),
    DECOMMISSIONED("decommissioned");

    public static final Duration DEFAULT_OFFLINE_WINDOW = Duration.ofHours(24);

    private final String wireName;

    DeviceStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static DeviceStatus fromWireName(String name) {
        for (DeviceStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown device status: " + name);
    }

    /**
     * Decommissioned wins; then never synced; then failing (streak at the threshold); then offline
     * when the server last heard from it longer ago than the window (device clocks are not trusted
     * for this); else healthy.
     */
    public static DeviceStatus of(boolean decommissioned, DeviceState state, int failureThreshold,
            Duration offlineWindow, Instant now) {
        if (decommissioned) {
            return DECOMMISSIONED;
        }
        if (state.neverSynced()) {
            return NEVER_SYNCED;
        }
        if (state.consecutiveFailures() >= failureThreshold) {
            return FAILING;
        }
        if (state.lastSeenAt() != null && state.lastSeenAt().isBefore(now.minus(offlineWindow))) {
            return OFFLINE;
        }
        return HEALTHY;
    }

    /**
     * The same rule with the calendar-aware offline time (contract v1.1): offline once {@code now} is past
     * {@code offlineAt}, the moment the school time since the last upload exceeds the site's
     * {@code offline_after_hours} (see {@link SchoolCalendar#offlineAt}); null: never offline.
     */
    public static DeviceStatus of(boolean decommissioned, DeviceState state, int failureThreshold, Instant offlineAt,
            Instant now) {
        if (decommissioned) {
            return DECOMMISSIONED;
        }
        if (state.neverSynced()) {
            return NEVER_SYNCED;
        }
        if (state.consecutiveFailures() >= failureThreshold) {
            return FAILING;
        }
        if (offlineAt != null && now.isAfter(offlineAt)) {
            return OFFLINE;
        }
        return HEALTHY;
    }
}
