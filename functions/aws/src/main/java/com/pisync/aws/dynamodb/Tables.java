package com.pisync.aws.dynamodb;

import com.pisync.aws.PiSyncConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tables and their indexes, for stacks that create their own (local runs and tests). The CDK app
 * declares the same for AWS; a template test keeps the two in step. Device list indexes project keys
 * only (plus the type, for the type filter): a device commit then never writes them unless a key
 * changes, and a page reads its devices with one BatchGetItem.
 */
public final class Tables {

    /** An index: name, partition key, sort key, projected non-key attributes (null: all). */
    public record Index(String name, String partitionKey, String sortKey, List<String> include) {
    }

    /**
     * A table: name, keys and indexes; its TTL attribute, if any; whether it has a stream of new and
     * old images (read by the stats function).
     */
    public record Table(String name, String partitionKey, String sortKey, List<Index> indexes, String ttlAttribute,
            boolean stream) {
    }

    private Tables() {
    }

    public static List<Table> all(PiSyncConfig config) {
        List<String> type = List.of("type");
        return List.of(
                new Table(config.devicesTable(), DeviceItems.DEVICE_ID, null, List.of(
                        new Index(DeviceIndexes.ALL_DEVICES, DeviceIndexes.LIST_SHARD, DeviceItems.DEVICE_ID, type),
                        new Index(DeviceIndexes.BY_NAME, DeviceIndexes.LIST_SHARD, DeviceIndexes.NAME_KEY, type),
                        new Index(DeviceIndexes.BY_STATUS, DeviceIndexes.STATUS_SHARD, DeviceItems.DEVICE_ID, type),
                        new Index(DeviceIndexes.BY_SITE, DeviceItems.SITE, DeviceItems.DEVICE_ID, type),
                        new Index(DeviceIndexes.BY_SITE_STATUS, DeviceIndexes.SITE_STATUS, DeviceItems.DEVICE_ID, type),
                        new Index(DeviceIndexes.FAILING, DeviceIndexes.FAILING_SHARD, DeviceIndexes.FAILING_RANK, List.of()),
                        new Index(DeviceIndexes.PENDING_ALERTS, DeviceIndexes.ALERTS_SHARD,
                                DeviceIndexes.ALERTS_PENDING_SINCE, List.of()),
                        // Contract v1.1 (last, for the stepwise GSI rollout): offline by calendar-aware offline_at
                        // (replaces offline_watch by seen hour), devices holding data at risk, fleet-wide and per site.
                        new Index(DeviceIndexes.OFFLINE_DUE, DeviceIndexes.WATCH_SHARD, DeviceIndexes.OFFLINE_HOUR, List.of()),
                        new Index(DeviceIndexes.AT_RISK, DeviceIndexes.RISK_SHARD, DeviceIndexes.RISK_KEY, List.of()),
                        new Index(DeviceIndexes.AT_RISK_BY_SITE, DeviceIndexes.RISK_SITE, DeviceIndexes.RISK_KEY, List.of()),
                        // Repeated failures (replaced recent_failures; last for the stepwise GSI rollout).
                        new Index(DeviceIndexes.FAILURE_RANK, DeviceIndexes.RF_SHARD, DeviceIndexes.RF_RANK,
                                List.of(DeviceItems.FAILURE_DAYS))),
                        null, true),
                new Table(config.syncEventsTable(), SyncEventItems.DEVICE_ID, SyncEventItems.ORDER_KEY, List.of(
                        // Keys only: a page reads a page of keys per shard, then its events in one BatchGetItem,
                        // so its cost does not grow with how many errors each shard holds.
                        new Index(SyncEventItems.ERRORS, SyncEventItems.ERR_PK, SyncEventItems.ERR_SK, List.of()),
                        new Index(SyncEventItems.ERRORS_BY_SITE, SyncEventItems.SITE_ERR_PK, SyncEventItems.ERR_SK,
                                List.of())),
                        SyncEventItems.EXPIRES_AT, true),
                new Table(config.alertsTable(), AlertItems.ALERT_ID, null, List.of(
                        new Index(AlertItems.ALL_ALERTS, AlertItems.ALL_SHARD, AlertItems.OPENED_KEY, null),
                        new Index(AlertItems.BY_STATE, AlertItems.STATE_SHARD, AlertItems.OPENED_KEY, null),
                        new Index(AlertItems.BY_DEVICE, AlertItems.DEVICE_ID, AlertItems.OPENED_KEY, null),
                        new Index(AlertItems.BY_SITE, AlertItems.SITE, AlertItems.OPENED_KEY, null)),
                        null, true), // stream: live updates (alert.opened / alert.resolved)
                new Table(config.syncRequestsTable(), SyncRequestItems.DEVICE_ID, SyncRequestItems.REQUEST_ID, List.of(),
                        SyncRequestItems.PURGE_AT, true), // stream: live updates (sync_request.updated)
                // Fleet counters maintained by the stats function; layout in docs/data-model.md.
                new Table(config.statsTable(), "scope", "counter", List.of(), "expires_at", false),
                // The audit log: append-only, entries expire after 400 days; every index newest first by at_key.
                new Table(config.auditTable(), AuditItems.AUDIT_ID, null, List.of(
                        new Index(AuditItems.ALL_ENTRIES, AuditItems.ALL_SHARD, AuditItems.AT_KEY, null),
                        new Index(AuditItems.BY_ACTOR, AuditItems.ACTOR, AuditItems.AT_KEY, null),
                        new Index(AuditItems.BY_TARGET, AuditItems.TARGET_ID, AuditItems.AT_KEY, null),
                        new Index(AuditItems.BY_ACTION, AuditItems.ACTION_SHARD, AuditItems.AT_KEY, null)),
                        AuditItems.EXPIRES_AT, false),
                // Sites and their profiles (contract v1.1); all_sites lists them by id, 16 write shards.
                new Table(config.sitesTable(), SiteStore.SITE, null, List.of(
                        new Index(SiteStore.ALL_SITES, SiteStore.LIST_SHARD, SiteStore.SITE, null)),
                        null, false),
                // Site incidents (contract v1.1): each site's incident state, the incidents (newest first by
                // opened_key in every index: all, by state, by site) and the devices each one covers.
                new Table(config.incidentsTable(), IncidentStore.PK, IncidentStore.SK, List.of(
                        new Index(IncidentStore.ALL_INCIDENTS, IncidentStore.ALL_SHARD, IncidentStore.OPENED_KEY, null),
                        new Index(IncidentStore.BY_STATE, IncidentStore.STATE_SHARD, IncidentStore.OPENED_KEY, null),
                        new Index(IncidentStore.BY_SITE, IncidentStore.SITE, IncidentStore.OPENED_KEY, null)),
                        null, true), // stream: live updates (incident.opened / incident.resolved)
                // Live updates: single-use tickets and WebSocket connections; by_audience finds a site's connections
                // (and the fleet-wide ones) without a scan. Items expire (tickets after 60 s, connections after 2 h).
                new Table(config.liveTable(), LiveConnectionStore.LIVE_ID, LiveConnectionStore.SCOPE, List.of(
                        new Index(LiveConnectionStore.BY_AUDIENCE, LiveConnectionStore.AUDIENCE, LiveConnectionStore.LIVE_ID,
                                List.of())),
                        LiveConnectionStore.EXPIRES_AT, false));
    }

    public static List<CreateTableRequest> definitions(PiSyncConfig config) {
        return all(config).stream().map(Tables::request).toList();
    }

    /**
     * Creates each table that does not exist yet, with its indexes, and with TTL when {@code expireItems}. Leave
     * it off for a clock that is not the real one: a local DynamoDB deletes expired items by its own (real) clock, so
     * items written at a simulated time in the past would vanish part-way through a test.
     */
    public static void createIfMissing(DynamoDbClient dynamo, PiSyncConfig config, boolean expireItems) {
        for (Table table : all(config)) {
            try {
                dynamo.createTable(request(table));
            } catch (ResourceInUseException exists) {
                continue;
            }
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(table.name()));
            if (expireItems && table.ttlAttribute() != null) {
                dynamo.updateTimeToLive(r -> r.tableName(table.name())
                        .timeToLiveSpecification(t -> t.enabled(true).attributeName(table.ttlAttribute())));
            }
        }
    }

    private static CreateTableRequest request(Table table) {
        Set<String> keyAttributes = new LinkedHashSet<>();
        keyAttributes.add(table.partitionKey());
        if (table.sortKey() != null) {
            keyAttributes.add(table.sortKey());
        }
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Index index : table.indexes()) {
            keyAttributes.add(index.partitionKey());
            keyAttributes.add(index.sortKey());
            Projection projection = index.include() == null
                    ? Projection.builder().projectionType(ProjectionType.ALL).build()
                    : index.include().isEmpty()
                            ? Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()
                            : Projection.builder().projectionType(ProjectionType.INCLUDE)
                                    .nonKeyAttributes(index.include()).build();
            indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                    .keySchema(keys(index.partitionKey(), index.sortKey())).projection(projection).build());
        }
        var builder = CreateTableRequest.builder().tableName(table.name())
                .attributeDefinitions(keyAttributes.stream().map(a -> AttributeDefinition.builder().attributeName(a)
                        .attributeType(ScalarAttributeType.S).build()).toList())
                .keySchema(keys(table.partitionKey(), table.sortKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!indexes.isEmpty()) {
            builder.globalSecondaryIndexes(indexes);
        }
        if (table.stream()) {
            builder.streamSpecification(s -> s.streamEnabled(true)
                    .streamViewType(software.amazon.awssdk.services.dynamodb.model.StreamViewType.NEW_AND_OLD_IMAGES));
        }
        return builder.build();
    }

    private static List<KeySchemaElement> keys(String partitionKey, String sortKey) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
        if (sortKey != null) {
            keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
        }
        return keys;
    }
}
