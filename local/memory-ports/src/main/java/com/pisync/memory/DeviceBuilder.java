package com.pisync.memory;

import com.pisync.domain.Device;
import com.pisync.domain.DeviceState;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.Outcome;
import java.time.Instant;
import java.util.List;

/** Devices for tests: a registered device, then what its last syncs left behind. */
public final class DeviceBuilder {

    private final String id;
    private String name;
    private String type = "PiBook";
    private String site;
    private List<String> tags = List.of();
    private Instant registeredAt = Instant.parse("2026-01-01T00:00:00Z");
    private Instant decommissionedAt;
    private String status = "never_synced";
    private Instant offlineAt;
    private Instant lastSeenAt;
    private Instant lastSyncAt;
    private int failures;
    private Instant streakStartedAt;
    private Long pendingFiles;
    private Instant oldestPendingAt;

    private DeviceBuilder(String id) {
        this.id = id;
        this.name = "Device " + id;
    }

    public static DeviceBuilder device(String id) {
        return new DeviceBuilder(id);
    }

    public DeviceBuilder name(String name) {
        this.name = name;
        return this;
    }

    public DeviceBuilder type(String type) {
        this.type = type;
        return this;
    }

    public DeviceBuilder site(String site) {
        this.site = site;
        return this;
    }

    public DeviceBuilder tags(String... tags) {
        this.tags = List.of(tags);
        return this;
    }

    /** Reported before it was registered. */
    public DeviceBuilder unregistered() {
        this.registeredAt = null;
        this.name = null;
        return this;
    }

    public DeviceBuilder decommissionedAt(Instant at) {
        this.decommissionedAt = at;
        this.status = "decommissioned";
        return this;
    }

    /** Last synced successfully at {@code at}: stored healthy, offline after {@code offlineAt}. */
    public DeviceBuilder healthy(Instant at, Instant offlineAt) {
        this.lastSeenAt = at;
        this.lastSyncAt = at;
        this.failures = 0;
        this.streakStartedAt = null;
        this.status = "healthy";
        this.offlineAt = offlineAt;
        return this;
    }

    /** {@code failures} failed syncs in a row since {@code since}, the last at {@code last}: stored failing. */
    public DeviceBuilder failing(int failures, Instant since, Instant last) {
        this.lastSeenAt = last;
        this.failures = failures;
        this.streakStartedAt = since;
        this.status = "failing";
        this.offlineAt = last.plusSeconds(24 * 3600);
        return this;
    }

    /** The stored status as a writer left it (the status on read may differ). */
    public DeviceBuilder storedStatus(String status) {
        this.status = status;
        return this;
    }

    public DeviceBuilder pending(long files, Instant oldest) {
        this.pendingFiles = files;
        this.oldestPendingAt = oldest;
        return this;
    }

    public Device build() {
        boolean synced = lastSeenAt != null;
        Outcome last = !synced ? null : failures > 0 ? Outcome.FAILED : Outcome.SUCCESS;
        DeviceState state = new DeviceState(id, synced ? lastSeenAt.toString() + "#" + id : null, lastSeenAt, last,
                lastSyncAt == null ? null : lastSyncAt + "#" + id, lastSyncAt, failures > 0 ? lastSeenAt + "#" + id : null,
                failures > 0 ? lastSeenAt : null, failures > 0 ? "disk full" : null, failures > 0 ? "E_DISK" : null,
                failures > 0 ? new FailureStreak(failures, streakStartedAt + "#" + id, streakStartedAt)
                        : FailureStreak.NONE,
                synced ? 10 : 0, failures, pendingFiles, lastSeenAt, null, oldestPendingAt);
        return new Device(id, name, registeredAt == null ? null : type, site, tags, registeredAt, registeredAt,
                decommissionedAt, 1, status, offlineAt, state);
    }
}
