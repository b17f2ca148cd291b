package com.pisync.memory;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.DeviceStatuses;
import com.pisync.aws.ports.OfflineWatch;
import com.pisync.aws.ports.Page;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The devices table in memory: {@link DeviceDirectory}, {@link DeviceStatuses}, {@link OfflineWatch} and the
 * processor's {@link DeviceCommits} over the same devices, with the DynamoDB implementations' orders and index
 * membership (a status index holds the stored status; the failing index failing devices by streak; the at-risk
 * index devices holding unsynced data, not decommissioned; the offline watch healthy devices with an offline time).
 * Every write bumps a device's version, so a status update or commit from a stale read fails as it does on the
 * table.
 */
public final class MemoryDevices implements DeviceDirectory, DeviceStatuses, OfflineWatch, DeviceCommits {

    private final Map<String, Device> devices = new TreeMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    /** The calendar version each device's offline time came from (calendar_at). */
    private final Map<String, Instant> calendars = new HashMap<>();
    /** The processor's bookkeeping, as the item holds it beside the device. */
    private final Map<String, Set<String>> inflight = new HashMap<>();
    private final Map<String, List<DeviceRecord.OutboxEntry>> outboxes = new HashMap<>();
    private final Map<String, Map<String, Integer>> failureDays = new HashMap<>();
    private final List<Runnable> beforeNextUpdate = new ArrayList<>();
    private int updates;

    /** Stores (or replaces) a device as a writer would; its version goes up. */
    public synchronized MemoryDevices put(Device device) {
        devices.put(device.deviceId(), device);
        versions.merge(device.deviceId(), 1L, Long::sum);
        return this;
    }

    /** Stores (or replaces) a device with the calendar version its offline time came from, as a registrar does. */
    synchronized MemoryDevices put(Device device, Instant calendar) {
        put(device);
        setCalendar(device.deviceId(), calendar);
        return this;
    }

    /**
     * Runs {@code change} just before the next status update or commit is checked (a concurrent writer); several
     * queued changes run one per guarded write, in order.
     */
    public synchronized void beforeNextUpdate(Runnable change) {
        beforeNextUpdate.add(change);
    }

    /** Status updates that were applied. */
    public synchronized int updates() {
        return updates;
    }

    @Override
    public synchronized Device get(String deviceId) {
        return devices.get(deviceId);
    }

    @Override
    public synchronized Map<String, Device> get(List<String> deviceIds) {
        Map<String, Device> out = new HashMap<>();
        deviceIds.forEach(id -> {
            Device d = devices.get(id);
            if (d != null) {
                out.put(id, d);
            }
        });
        return out;
    }

    @Override
    public synchronized Page<String> page(Filter filter, String after, int limit) {
        return ids(d -> (filter.sites() == null || d.site() != null && filter.sites().contains(d.site()))
                && (filter.status() == null || filter.status().equals(d.storedStatus()))
                && (filter.type() == null || filter.type().equals(d.type())), Device::deviceId, false, after, limit);
    }

    @Override
    public synchronized Page<String> idsStartingWith(String prefix, String after, int limit) {
        return ids(d -> d.deviceId().startsWith(prefix), Device::deviceId, false, after, limit);
    }

    @Override
    public synchronized Page<String> namesStartingWith(String lowerCasePrefix, String after, int limit) {
        return ids(d -> d.name() != null && d.name().toLowerCase(Locale.ROOT).startsWith(lowerCasePrefix),
                d -> d.name().toLowerCase(Locale.ROOT) + "#" + d.deviceId(), false, after, limit);
    }

    @Override
    public synchronized Page<String> failing(String after, int limit) {
        return ids(d -> DeviceStatus.FAILING.wireName().equals(d.storedStatus()),
                d -> String.format(Locale.ROOT, "%010d#%s", d.state().consecutiveFailures(), d.deviceId()), true,
                after, limit);
    }

    @Override
    public synchronized Page<String> atRisk(List<String> sites, Instant atRiskSinceUpTo, String after, int limit) {
        return ids(d -> {
            Instant since = d.decommissioned() ? null : d.state().dataAtRiskSince();
            return since != null && (sites == null || d.site() != null && sites.contains(d.site()))
                    && (atRiskSinceUpTo == null || !since.isAfter(atRiskSinceUpTo));
        }, d -> String.format(Locale.ROOT, "%013d#%019d#%s", d.state().dataAtRiskSince().toEpochMilli(),
                Long.MAX_VALUE - (d.state().pendingFiles() == null ? 0 : d.state().pendingFiles()), d.deviceId()),
                false, after, limit);
    }

    @Override
    public synchronized Page<String> due(String shard, Instant now, String after, int limit) {
        Instant cutoff = now.truncatedTo(ChronoUnit.HOURS);
        return ids(d -> DeviceStatus.HEALTHY.wireName().equals(d.storedStatus()) && d.offlineAt() != null
                && Shards.of(d.deviceId()).equals(shard) && d.offlineAt().truncatedTo(ChronoUnit.HOURS).isBefore(cutoff),
                d -> d.offlineAt().truncatedTo(ChronoUnit.HOURS) + "|" + d.deviceId(), false, after, limit);
    }

    @Override
    public synchronized DeviceRecord load(String deviceId) {
        Device d = devices.get(deviceId);
        if (d == null) {
            return new DeviceRecord(false, 0, com.pisync.domain.DeviceState.initial(deviceId), null, false, Set.of(),
                    List.of(), Map.of(), null, null, null, null);
        }
        return new DeviceRecord(true, versions.get(deviceId), d.state(), d.site(), d.decommissioned(),
                inflight.getOrDefault(deviceId, Set.of()), outboxes.getOrDefault(deviceId, List.of()),
                failureDays.getOrDefault(deviceId, Map.of()), d.storedStatus(), d.offlineAt(), calendars.get(deviceId),
                null);
    }

    /** Memory is always consistent: both reads are {@link #load(String)}. */
    @Override
    public DeviceRecord load(String deviceId, boolean consistent) {
        return load(deviceId);
    }

    @Override
    public boolean commit(DeviceRecord before, DeviceState after, DeviceStatus status, Set<String> inflightKeys,
            List<AlertTransition> newTransitions, Map<String, Integer> days, DeviceRegistry.OfflineTime offline,
            Instant now, OutboxLease lease) {
        runConcurrentWriter();
        synchronized (this) {
            String id = after.deviceId();
            if (!unchangedSince(before, id)) {
                return false;
            }
            Device d = devices.get(id);
            String stored = status.wireName();
            put(d == null // a device reporting before it is registered
                    ? new Device(id, null, null, null, List.of(), now, null, null, 0, stored, offline.at(), after)
                    : new Device(id, d.name(), d.type(), d.site(), d.tags(),
                            d.createdAt() == null ? now : d.createdAt(), d.registeredAt(), d.decommissionedAt(),
                            d.tokenVersion(), stored, offline.at(), after));
            setCalendar(id, offline.calendar());
            inflight.put(id, Set.copyOf(inflightKeys));
            failureDays.put(id, Map.copyOf(days));
            List<DeviceRecord.OutboxEntry> outbox = new ArrayList<>(outboxes.getOrDefault(id, List.of()));
            for (int i = 0; i < newTransitions.size(); i++) {
                AlertTransition t = newTransitions.get(i);
                // Named by commit version and position, so entries sort in the order they happened (as on the table).
                String name = String.format(Locale.ROOT, "%012d_%03d_%s", before.version() + 1, i, t.id());
                outbox.add(lease == null ? new DeviceRecord.OutboxEntry(name, t, null, 0)
                        : new DeviceRecord.OutboxEntry(name, t, lease.holder(), lease.until()));
            }
            outboxes.put(id, List.copyOf(outbox));
            return true;
        }
    }

    /** Adds an outbox entry as a version-bumping write does (a decommission resolving the open alert). */
    synchronized void addOutboxEntry(String deviceId, AlertTransition t) {
        Device d = devices.get(deviceId);
        if (d == null) {
            throw new IllegalArgumentException("no device " + deviceId);
        }
        List<DeviceRecord.OutboxEntry> outbox = new ArrayList<>(outboxes.getOrDefault(deviceId, List.of()));
        String name = String.format(Locale.ROOT, "%012d_%03d_%s", versions.get(deviceId) + 1, 0, t.id());
        outbox.add(new DeviceRecord.OutboxEntry(name, t, null, 0));
        outboxes.put(deviceId, List.copyOf(outbox));
        put(d);
    }

    /** A guarded write that changes nothing else: the version goes up if the device is as {@code before} was read. */
    boolean bumpIfUnchanged(DeviceRecord before) {
        runConcurrentWriter();
        synchronized (this) {
            String id = before.state().deviceId();
            if (!before.exists() || !unchangedSince(before, id)) {
                return false;
            }
            put(devices.get(id));
            return true;
        }
    }

    /** Removes a published outbox entry; false when it was gone already (published by someone else). */
    public synchronized boolean removeOutboxEntry(String deviceId, String attribute) {
        List<DeviceRecord.OutboxEntry> outbox = new ArrayList<>(outboxes.getOrDefault(deviceId, List.of()));
        boolean removed = outbox.removeIf(e -> e.attribute().equals(attribute));
        outboxes.put(deviceId, List.copyOf(outbox));
        return removed;
    }

    /** The table's condition: same version, or still absent when read absent. */
    private boolean unchangedSince(DeviceRecord before, String id) {
        return before.exists() ? devices.containsKey(id) && versions.get(id) == before.version()
                : !devices.containsKey(id);
    }

    private void runConcurrentWriter() {
        Runnable change;
        synchronized (this) {
            change = beforeNextUpdate.isEmpty() ? null : beforeNextUpdate.remove(0);
        }
        if (change != null) {
            change.run();
        }
    }

    private void setCalendar(String id, Instant calendar) {
        if (calendar == null) {
            calendars.remove(id);
        } else {
            calendars.put(id, calendar);
        }
    }

    @Override
    public synchronized Map<String, DeviceRecord> loadAll(List<String> deviceIds) {
        Map<String, DeviceRecord> out = new HashMap<>();
        deviceIds.stream().filter(devices::containsKey).forEach(id -> out.put(id, load(id)));
        return out;
    }

    @Override
    public boolean updateStatus(DeviceRecord before, DeviceStatus status, Instant offlineAt) {
        return updateStatus(before, status, offlineAt, before.calendarAt());
    }

    @Override
    public boolean updateStatus(DeviceRecord before, DeviceStatus status, Instant offlineAt, Instant calendar) {
        runConcurrentWriter();
        synchronized (this) {
            String id = before.state().deviceId();
            Device d = devices.get(id);
            if (d == null || versions.get(id) != before.version()) {
                return false;
            }
            Instant at = offlineAt != null ? offlineAt : before.offlineAt() != null ? before.offlineAt()
                    : before.state().lastSeenAt() == null ? null
                    : before.state().lastSeenAt().plus(DeviceStatus.DEFAULT_OFFLINE_WINDOW);
            put(new Device(d.deviceId(), d.name(), d.type(), d.site(), d.tags(), d.createdAt(), d.registeredAt(),
                    d.decommissionedAt(), d.tokenVersion(), status.wireName(), at, d.state()));
            setCalendar(id, calendar);
            updates++;
            return true;
        }
    }

    private Page<String> ids(Predicate<Device> in, java.util.function.Function<Device, String> key,
            boolean descending, String after, int limit) {
        List<Device> entries = devices.values().stream().filter(in).toList();
        Map<String, String> idOf = new HashMap<>();
        entries.forEach(d -> idOf.put(key.apply(d), d.deviceId()));
        Page<String> keys = SortedPages.page(entries.stream().map(key).toList(), k -> k, descending, after, limit);
        return SortedPages.map(keys, idOf::get);
    }
}
