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

    /** Removing a published entry is retried this many times before giving up (then it may be published again). */
    static final int COMPLETE_ATTEMPTS = 5;

    /**
     * Another publisher holds an entry: it may be publishing it now, or have died holding it. Either way the
     * caller must come back later (the SQS message is retried after its visibility timeout, longer than the
     * lease), not report the entry as done.
     */
    public static final class EntryHeld extends RuntimeException {
        EntryHeld(String message) {
            super(message);
        }
    }

    /**
     * Publishes the entries in order; stops at the first that cannot be published now.
     *
     * @throws EntryHeld when another publisher holds an entry (retry later)
     * @throws RuntimeException when a publish failed; the entry stays for a retry
     */
    public void flush(String deviceId, List<DeviceRecord.OutboxEntry> entries) {
        for (DeviceRecord.OutboxEntry entry : entries) {
            Instant now = clock.instant();
            String claim = UUID.randomUUID().toString();
            DeviceStore.OutboxClaim claimed;
            try {
                claimed = devices.claimOutbox(deviceId, entry.attribute(), claim, now, now.plus(CLAIM_LEASE));
            } catch (RuntimeException e) {
                // the claim may have been written all the same: give it up so the retry need not wait for the lease
                release(deviceId, entry.attribute(), claim, e);
                throw e;
            }
            if (claimed == DeviceStore.OutboxClaim.GONE) {
                continue; // published already
            }
            if (claimed == DeviceStore.OutboxClaim.HELD) {
                // Skipping it would report the event done while nobody may ever publish the entry, and later
                // entries of the device must not overtake it.
                throw new EntryHeld("alert transition " + entry.transition().id() + " of " + deviceId
                        + " is claimed by another publisher; retry later");
            }
            try {
                alerts.put(entry.transition().alert());
                publisher.publish(entry.transition());
            } catch (RuntimeException e) {
                release(deviceId, entry.attribute(), claim, e);
                throw e;
            }
            complete(deviceId, entry.attribute(), claim);
        }
    }

    /**
     * Once SNS took the message, failing here would publish it again on the retry: keep trying a while (the
     * SDK has already retried each call).
     */
    private void complete(String deviceId, String attribute, String claim) {
        for (int attempt = 1; ; attempt++) {
            try {
                devices.completeOutbox(deviceId, attribute, claim);
                return;
            } catch (RuntimeException e) {
                if (attempt == COMPLETE_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void release(String deviceId, String attribute, String claim, RuntimeException cause) {
        try {
            devices.releaseOutbox(deviceId, attribute, claim);
        } catch (RuntimeException e) {
            cause.addSuppressed(e); // the claim then ends with its lease
        }
    }
}
