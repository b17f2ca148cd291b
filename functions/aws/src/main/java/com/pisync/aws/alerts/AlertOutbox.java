package com.pisync.aws.alerts;

import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Publishes alert transitions that a device commit left in its outbox: claim the entry, record the
 * alert, publish, remove the entry. A publish that fails leaves the entry for the next attempt, so
 * an alert is never lost; a claim keeps two processors from publishing the same transition.
 */
public final class AlertOutbox {

    /** Longer than a publish can take, shorter than the queue's visibility timeout. */
    public static final Duration CLAIM_LEASE = Duration.ofSeconds(60);

    private final DeviceStore devices;
    private final AlertStore alerts;
    private final AlertPublisher publisher;
    private final Clock clock;

    public AlertOutbox(DeviceStore devices, AlertStore alerts, AlertPublisher publisher, Clock clock) {
        this.devices = devices;
        this.alerts = alerts;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * @throws RuntimeException when a publish failed; the entry stays for a retry
     */
    public void flush(String deviceId, List<DeviceRecord.OutboxEntry> entries) {
        for (DeviceRecord.OutboxEntry entry : entries) {
            Instant now = clock.instant();
            String claim = UUID.randomUUID().toString();
            if (!devices.claimOutbox(deviceId, entry.attribute(), claim, now, now.plus(CLAIM_LEASE))) {
                continue; // published already, or another processor is on it
            }
            try {
                alerts.put(entry.transition().alert());
                publisher.publish(entry.transition());
            } catch (RuntimeException e) {
                devices.releaseOutbox(deviceId, entry.attribute(), claim);
                throw e;
            }
            devices.completeOutbox(deviceId, entry.attribute(), claim);
        }
    }
}
