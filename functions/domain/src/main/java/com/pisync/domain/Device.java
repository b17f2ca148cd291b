package com.pisync.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A device as the API reads it: its registry facts (name, type, site, tags, credential version) and its sync
 * state. The processor's bookkeeping (version, in-flight keys, alert outbox) is not part of it.
 *
 * @param registeredAt null for a device that reported before it was registered
 * @param storedStatus the status as last written (null: never written); the status on read may differ
 *     ({@link DeviceStatus#of} decides it at the time of the read)
 * @param offlineAt the stored, calendar-aware offline time (null: none stored, e.g. written before v1.1)
 */
public record Device(
        String deviceId,
        String name,
        String type,
        String site,
        List<String> tags,
        Instant createdAt,
        Instant registeredAt,
        Instant decommissionedAt,
        long tokenVersion,
        String storedStatus,
        Instant offlineAt,
        DeviceState state) {

    public Device {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(state, "state");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean registered() {
        return registeredAt != null;
    }

    public boolean decommissioned() {
        return decommissionedAt != null;
    }
}
