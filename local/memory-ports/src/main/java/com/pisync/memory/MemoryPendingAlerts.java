package com.pisync.memory;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.PendingAlertWatch;
import com.pisync.domain.AlertTransition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending-alerts list of {@link MemoryDevices} in memory: devices whose outbox a decommission left an alert
 * transition in, oldest first by the time it was left (ties: device id), compared as the index compares its
 * ISO-8601 strings; leaving it is guarded by the device's version.
 */
public final class MemoryPendingAlerts implements PendingAlertWatch {

    private final MemoryDevices devices;
    private final Map<String, Instant> waitingSince = new HashMap<>();

    public MemoryPendingAlerts(MemoryDevices devices) {
        this.devices = devices;
    }

    /** What a decommission that resolves an open alert leaves: the transition in the outbox, the device listed. */
    public synchronized MemoryPendingAlerts resolvedAtDecommission(String deviceId, AlertTransition t, Instant at) {
        devices.addOutboxEntry(deviceId, t);
        waitingSince.put(deviceId, at);
        return this;
    }

    /** Whether the device is still listed. */
    public synchronized boolean listed(String deviceId) {
        return waitingSince.containsKey(deviceId);
    }

    @Override
    public synchronized Page<String> waitingSince(String shard, Instant cutoff, String after, int limit) {
        List<String> keys = waitingSince.entrySet().stream()
                .filter(e -> Shards.of(e.getKey()).equals(shard))
                .filter(e -> e.getValue().toString().compareTo(cutoff.toString()) < 0)
                .map(e -> e.getValue() + "|" + e.getKey()).toList();
        return SortedPages.map(SortedPages.page(keys, k -> k, false, after, limit),
                k -> k.substring(k.indexOf('|') + 1));
    }

    @Override
    public boolean leave(DeviceRecord before) {
        if (!before.outbox().isEmpty()) {
            throw new IllegalArgumentException("device " + before.state().deviceId() + " still has unpublished alerts");
        }
        if (!devices.bumpIfUnchanged(before)) {
            return false;
        }
        synchronized (this) {
            waitingSince.remove(before.state().deviceId());
        }
        return true;
    }
}
