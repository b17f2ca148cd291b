package com.pisync.sweeper;

import com.pisync.aws.alerts.AlertOutbox;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.aws.ports.OutboxPublisher;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.PendingAlertWatch;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Publishes alert transitions that were committed but never published and that no processor run will
 * publish: a decommission resolves the device's open alert and tries to publish {@code device.recovered} at
 * once; when SNS refuses, the entry stays in the device's outbox and the device on the
 * {@link PendingAlertWatch}, and each sweep retries it (claims keep it published once) until the outbox is
 * empty. Entries younger than the outbox claim lease are left to the function that wrote them.
 */
public final class PendingAlertSweep {

    /** What one run did. */
    public record Result(int checked, int published, int failed, int conflicts) {

        public Map<String, Object> fields() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("pending_alert_devices", checked);
            f.put("pending_alert_devices_flushed", published);
            f.put("pending_alert_devices_failed", failed);
            f.put("pending_alert_conflicts", conflicts);
            return f;
        }
    }

    static final int PAGE_SIZE = 100;

    private final PendingAlertWatch pending;
    private final DeviceCommits devices;
    private final OutboxPublisher outbox;

    public PendingAlertSweep(PendingAlertWatch pending, DeviceCommits devices, OutboxPublisher outbox) {
        this.pending = pending;
        this.devices = devices;
        this.outbox = outbox;
    }

    /**
     * @param remainingMillis time left in the invocation; stops early below {@code reserveMillis}
     */
    public Result sweep(Instant now, LongSupplier remainingMillis, long reserveMillis) {
        Instant cutoff = now.minus(AlertOutbox.CLAIM_LEASE);
        int checked = 0;
        int published = 0;
        int failed = 0;
        int conflicts = 0;
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            String from = null;
            do {
                if (remainingMillis.getAsLong() < reserveMillis) {
                    return new Result(checked, published, failed, conflicts);
                }
                Page<String> page = pending.waitingSince(Shards.name(shard), cutoff, from, PAGE_SIZE);
                for (String deviceId : page.items()) {
                    checked++;
                    try {
                        DeviceRecord record = devices.load(deviceId, true);
                        if (!record.outbox().isEmpty()) {
                            outbox.flush(deviceId, record.outbox());
                            published++;
                            record = devices.load(deviceId, true);
                        }
                        if (record.outbox().isEmpty() && !pending.leave(record)) {
                            conflicts++; // changed under us: still in the index, the next run looks again
                        }
                    } catch (RuntimeException e) {
                        failed++; // SNS still failing, or another publisher holds it: the next run retries
                    }
                }
                from = page.nextAfter();
            } while (from != null);
        }
        return new Result(checked, published, failed, conflicts);
    }
}
