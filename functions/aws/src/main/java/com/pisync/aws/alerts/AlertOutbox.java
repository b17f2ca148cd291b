package com.pisync.aws.alerts;

import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.aws.ports.OutboxPublisher;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertTransition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Publishes alert transitions that a device commit left in its outbox: claim the entry, record the
 * alert, publish, remove the entry. A publish that fails leaves the entry for the next attempt, so
 * an alert is never lost; a claim keeps two processors from publishing the same transition. The
 * processor's commit writes its new entries already claimed ({@link DeviceCommits.OutboxLease}), which saves a write of
 * the device item per alert transition.
 */
public final class AlertOutbox implements OutboxPublisher {

    public static final Duration CLAIM_LEASE = DeviceCommits.OutboxLease.DURATION;

    /**
     * What an entry's claim must still have left to be published under it: more than recording the alert and
     * publishing take with the SDK's retries. Less, and the entry is claimed anew (or waits for the lease to end).
     */
    static final Duration PUBLISH_TIME = Duration.ofSeconds(30);

    private final DeviceStore devices;
    private final AlertStore alerts;
    private final AlertPublisher publisher;
    private final OpenIncidents incidents;
    private final Clock clock;

    /**
     * Where a site's open incident is looked up (contract v1.1): while a site's incident is open, its devices'
     * alert transitions are stored (with {@code incident_id}) but not published one by one.
     */
    @FunctionalInterface
    public interface OpenIncidents {
        /** The site's open incident id, or null. */
        String openIncidentId(String site);

        OpenIncidents NONE = site -> null;
    }

    public AlertOutbox(DeviceStore devices, AlertStore alerts, AlertPublisher publisher, Clock clock) {
        this(devices, alerts, publisher, OpenIncidents.NONE, clock);
    }

    public AlertOutbox(DeviceStore devices, AlertStore alerts, AlertPublisher publisher, OpenIncidents incidents,
            Clock clock) {
        this.devices = devices;
        this.alerts = alerts;
        this.publisher = publisher;
        this.incidents = incidents;
        this.clock = clock;
    }

    /**
     * The outbox as every function builds it: the alerts table, the alerts topic (e-mails linking to the
     * configured dashboard), and the incidents table, so that a site in incident does not alert device by device.
     */
    public static AlertOutbox of(DeviceStore devices, software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
            software.amazon.awssdk.services.sns.SnsClient sns, com.pisync.aws.PiSyncConfig config, Clock clock) {
        com.pisync.aws.dynamodb.IncidentStore incidents =
                new com.pisync.aws.dynamodb.IncidentStore(dynamo, config.incidentsTable());
        return new AlertOutbox(devices, new AlertStore(dynamo, config.alertsTable()),
                new AlertPublisher(sns, config.alertsTopicArn(), config.dashboardUrl()), incidents::openIncidentId, clock);
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
    @Override
    public void flush(String deviceId, List<DeviceRecord.OutboxEntry> entries, DeviceCommits.OutboxLease own) {
        for (DeviceRecord.OutboxEntry entry : entries) {
            Instant now = clock.instant();
            boolean ours = own != null && own.holder().equals(entry.claim())
                    && entry.claimedUntil() > now.plus(PUBLISH_TIME).toEpochMilli();
            String claim = ours ? own.holder() : UUID.randomUUID().toString();
            DeviceStore.OutboxClaim claimed;
            try {
                // Our commit wrote the entry already claimed, with time left to publish it: no claim write.
                claimed = ours ? DeviceStore.OutboxClaim.CLAIMED
                        : devices.claimOutbox(deviceId, entry.attribute(), claim, now, now.plus(CLAIM_LEASE));
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
                AlertTransition t = entry.transition();
                String incident = incidentOf(t);
                alerts.put(t.alert().withIncident(incident));
                if (incident == null) {
                    publisher.publish(t); // within an incident, the incident is the one notification
                }
            } catch (RuntimeException e) {
                release(deviceId, entry.attribute(), claim, e);
                throw e;
            }
            complete(deviceId, entry.attribute(), claim);
        }
    }

    /**
     * The incident an alert transition belongs to: the site's open incident, or (for a resolution) the one its
     * opening was filed under, so that a recovery whose failure was never announced is not announced either.
     */
    private String incidentOf(AlertTransition t) {
        Alert a = t.alert();
        if (a.incidentId() != null) {
            return a.incidentId();
        }
        String open = incidents.openIncidentId(a.site());
        if (open != null || t.kind() != AlertTransition.Kind.RECOVERED || incidents == OpenIncidents.NONE) {
            return open;
        }
        Alert stored = alerts.get(a.alertId());
        return stored == null ? null : stored.incidentId();
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
