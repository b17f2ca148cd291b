package com.pisync.memory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.ports.DeviceRegistrar;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The admin's registry changes on {@link MemoryDevices}, as DeviceRegistry makes them: each change and its audit
 * entry (the same entry, with the same before and after) written together into a {@link MemoryAuditLog}; a request
 * whose entry exists (a retry) writes nothing and answers the device as it is. Registering, or moving a device to
 * a site, times it by that site's calendar; a decommission resolving an open alert leaves the transition for the
 * {@link MemoryPendingAlerts} list.
 */
public final class MemoryDeviceRegistrar implements DeviceRegistrar {

    private final MemoryDevices devices;
    private final MemoryPendingAlerts pendingAlerts;
    private final MemoryAuditLog audit;
    private final DeviceRegistry.OfflineTimes offlineTimes;
    private final Clock clock;

    public MemoryDeviceRegistrar(MemoryDevices devices, MemoryPendingAlerts pendingAlerts, MemoryAuditLog audit,
            DeviceRegistry.OfflineTimes offlineTimes, Clock clock) {
        this.devices = devices;
        this.pendingAlerts = pendingAlerts;
        this.audit = audit;
        this.offlineTimes = offlineTimes;
        this.clock = clock;
    }

    @Override
    public Device get(String deviceId, boolean consistent) {
        return devices.get(deviceId);
    }

    @Override
    public synchronized Device register(DeviceProfile p, AuditContext context) {
        String id = p.deviceId();
        Device d = devices.get(id);
        if (d != null && d.registered()) {
            return audit.contains(context.entry("device.register", "device", id, null, null).auditId()) ? d : null;
        }
        DeviceStatus status = d == null ? DeviceStatus.NEVER_SYNCED : stored(d);
        AuditEntry entry = context.entry("device.register", "device", id, null,
                DeviceRegistry.profile(id, p.name(), p.type(), p.site(), p.tags(), status));
        DeviceState state = d == null ? DeviceState.initial(id) : d.state();
        Timing t = timing(p.site(), status, state);
        Instant now = context.at();
        return write(entry, new Device(id, p.name(), p.type(), p.site(), p.tags(),
                d == null || d.createdAt() == null ? now : d.createdAt(), now, d == null ? null : d.decommissionedAt(),
                (d == null ? 0 : d.tokenVersion()) + 1, t.status().wireName(), t.offlineAt(), state), t.calendar());
    }

    @Override
    public synchronized Device patch(String deviceId, DeviceProfile p, AuditContext context) {
        Device d = devices.get(deviceId);
        if (d == null || !d.registered()) {
            return null;
        }
        String name = p.name() != null ? p.name() : d.name();
        String type = p.type() != null ? p.type() : d.type();
        String site = p.site() != null ? p.site() : d.site();
        List<String> tags = p.tags() != null ? p.tags() : d.tags();
        AuditEntry entry = context.entry("device.update", "device", deviceId, profile(d),
                DeviceRegistry.profile(deviceId, name, type, site, tags, stored(d)));
        if (p.site() == null) {
            return write(entry, new Device(deviceId, name, type, site, tags, d.createdAt(), d.registeredAt(),
                    d.decommissionedAt(), d.tokenVersion(), d.storedStatus(), d.offlineAt(), d.state()), null, false);
        }
        Timing t = timing(site, stored(d), d.state());
        return write(entry, new Device(deviceId, name, type, site, tags, d.createdAt(), d.registeredAt(),
                d.decommissionedAt(), d.tokenVersion(), t.status().wireName(), t.offlineAt(), d.state()), t.calendar());
    }

    @Override
    public synchronized Outcome decommission(String deviceId, AuditContext context) {
        Device d = devices.get(deviceId);
        if (d == null || !d.registered()) {
            return Outcome.NOT_FOUND;
        }
        if (d.decommissioned()) {
            return Outcome.DECOMMISSIONED;
        }
        Instant now = context.at();
        AuditEntry entry = context.entry("device.decommission", "device", deviceId, profile(d),
                DeviceRegistry.profile(deviceId, d.name(), d.type(), d.site(), d.tags(), DeviceStatus.DECOMMISSIONED));
        if (audit.contains(entry.auditId())) {
            return Outcome.DONE;
        }
        DeviceState s = d.state();
        Alert open = s.openAlert();
        DeviceState closed = new DeviceState(s.deviceId(), s.lastKey(), s.lastAttemptAt(), s.lastStatus(),
                s.lastSuccessKey(), s.lastSyncAt(), s.lastFailureKey(), s.lastFailureAt(), s.lastError(),
                s.lastErrorCode(), s.streak(), s.totalSyncs(), s.totalFailures(), s.pendingFiles(), s.lastSeenAt(),
                null, s.oldestPendingAt());
        Timing t = timing(d.site(), DeviceStatus.DECOMMISSIONED, s);
        write(entry, new Device(deviceId, d.name(), d.type(), d.site(), d.tags(), d.createdAt(), d.registeredAt(),
                now, d.tokenVersion() + 1, DeviceStatus.DECOMMISSIONED.wireName(), t.offlineAt(), closed),
                t.calendar());
        if (open != null) {
            pendingAlerts.resolvedAtDecommission(deviceId,
                    new AlertTransition(AlertTransition.Kind.RECOVERED, open.resolved(now)), now);
        }
        return Outcome.DONE;
    }

    @Override
    public synchronized Credential rotateToken(String deviceId, AuditContext context) {
        Device d = devices.get(deviceId);
        if (d == null || !d.registered()) {
            return new Credential(Outcome.NOT_FOUND, 0);
        }
        if (d.decommissioned()) {
            return new Credential(Outcome.DECOMMISSIONED, 0);
        }
        long version = d.tokenVersion();
        AuditEntry entry = context.entry("device.rotate_token", "device", deviceId, tokenVersion(version),
                tokenVersion(version + 1));
        Device after = write(entry, new Device(deviceId, d.name(), d.type(), d.site(), d.tags(), d.createdAt(),
                d.registeredAt(), d.decommissionedAt(), version + 1, d.storedStatus(), d.offlineAt(), d.state()), null,
                false);
        return new Credential(Outcome.DONE, after.tokenVersion());
    }

    /** The device's offline time by its site's calendar; a healthy or offline device is decided again by it. */
    private record Timing(DeviceStatus status, Instant offlineAt, Instant calendar) {
    }

    private Timing timing(String site, DeviceStatus status, DeviceState state) {
        DeviceRegistry.OfflineTime t = state.lastSeenAt() == null ? new DeviceRegistry.OfflineTime(null, null)
                : offlineTimes.offlineAt(site, state.lastSeenAt(), null);
        if (t.at() != null && (status == DeviceStatus.HEALTHY || status == DeviceStatus.OFFLINE)) {
            status = clock.instant().isAfter(t.at()) ? DeviceStatus.OFFLINE : DeviceStatus.HEALTHY;
        }
        return new Timing(status, t.at(), t.calendar());
    }

    private Device write(AuditEntry entry, Device after, Instant calendar) {
        return write(entry, after, calendar, true);
    }

    /** The change and its entry, unless the entry exists (a retry): then the device as it is. */
    private Device write(AuditEntry entry, Device after, Instant calendar, boolean timed) {
        if (audit.contains(entry.auditId())) {
            return devices.get(after.deviceId());
        }
        if (timed) {
            devices.put(after, calendar);
        } else {
            devices.put(after);
        }
        audit.record(entry);
        return after;
    }

    private static DeviceStatus stored(Device d) {
        return d.storedStatus() == null ? DeviceStatus.NEVER_SYNCED : DeviceStatus.fromWireName(d.storedStatus());
    }

    private static ObjectNode profile(Device d) {
        return DeviceRegistry.profile(d.deviceId(), d.name(), d.type(), d.site(), d.tags(), stored(d));
    }

    private static ObjectNode tokenVersion(long version) {
        return JsonNodeFactory.instance.objectNode().put("token_version", version);
    }
}
