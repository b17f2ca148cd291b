package com.pisync.memory;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.ports.OutboxPublisher;
import com.pisync.domain.AlertTransition;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes outbox entries of {@link MemoryDevices} as AlertOutbox does, without the claim (one process): an entry
 * still on its device is removed, recorded in the alert log and published (kept in order, for tests to read); an
 * entry already gone was published before and is skipped.
 */
public final class MemoryAlertOutbox implements OutboxPublisher {

    private final MemoryDevices devices;
    private final MemoryAlertLog alerts;
    private final List<AlertTransition> published = new ArrayList<>();

    public MemoryAlertOutbox(MemoryDevices devices, MemoryAlertLog alerts) {
        this.devices = devices;
        this.alerts = alerts;
    }

    @Override
    public synchronized void flush(String deviceId, List<DeviceRecord.OutboxEntry> entries,
            com.pisync.aws.ports.DeviceCommits.OutboxLease own) {
        for (DeviceRecord.OutboxEntry entry : entries) {
            if (devices.removeOutboxEntry(deviceId, entry.attribute())) {
                alerts.put(entry.transition().alert());
                published.add(entry.transition());
            }
        }
    }

    /** Every transition published, in order. */
    public synchronized List<AlertTransition> published() {
        return List.copyOf(published);
    }
}
