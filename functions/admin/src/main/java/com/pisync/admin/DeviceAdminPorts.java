package com.pisync.admin;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.alerts.AlertOutbox;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.aws.dynamodb.DynamoDeviceRegistrar;
import com.pisync.aws.dynamodb.DynamoSyncRequestQueue;
import com.pisync.aws.dynamodb.SiteCalendars;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.ports.AuditEntries;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.aws.ports.DeviceCredentials;
import com.pisync.aws.ports.DeviceRegistrar;
import com.pisync.aws.ports.OutboxPublisher;
import com.pisync.aws.ports.SiteNames;
import com.pisync.aws.ports.SyncRequestQueue;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The storage {@link DeviceAdmin} works on.
 *
 * @param devices read for the outbox a decommission left (its resolved alert)
 * @param outbox publishes that outbox
 */
record DeviceAdminPorts(DeviceRegistrar registry, SiteNames sites, DeviceCredentials credentials,
        SyncRequestQueue syncRequests, AuditEntries audit, DeviceCommits devices, OutboxPublisher outbox) {

    /** On DynamoDB and SNS, built once per container from the function's clients. */
    static DeviceAdminPorts onDynamoDb(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, Clock clock) {
        SiteStore sites = new SiteStore(dynamo, config.sitesTable());
        DynamoAuditLog audit = new DynamoAuditLog(dynamo, config.auditTable());
        // offline_at follows the device's site calendar when it is registered to, or moved to, a site.
        DeviceRegistrar registry = new DynamoDeviceRegistrar(new DeviceRegistry(dynamo, config.devicesTable(),
                new SiteCalendars(sites, config.offlineWindow()), clock), audit);
        DeviceStore devices = new DeviceStore(dynamo, config.devicesTable());
        SyncRequestStore syncRequests = new SyncRequestStore(dynamo, config.syncRequestsTable());
        return new DeviceAdminPorts(registry, sites, syncRequests, new DynamoSyncRequestQueue(syncRequests, audit),
                audit, devices, AlertOutbox.of(devices, dynamo, sns, config, clock));
    }
}
