package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.EnableScalingProps;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.dynamodb.UtilizationScalingProps;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.constructs.Construct;

/**
 * The DynamoDB tables: on-demand (or, with {@code -c provisionedMaxCapacity=N}, provisioned and auto scaled,
 * every index too), point-in-time recovery, encrypted with the AWS-managed key.
 * Prod tables are retained and deletion-protected; dev tables go away with the stack.
 *
 * <p>{@link #TABLES} repeats {@code com.pisync.aws.dynamodb.Tables.all(config)} (the functions' single
 * source of truth: keys, indexes with their projections, TTL attributes, streams). The CDK app does not
 * depend on the function modules; {@code TablesMatchCodeTest} loads {@code Tables} from the built
 * function jar and fails on any difference.
 *
 * <p>Grants never use {@code Table.grant}: once a table has indexes that also allows
 * {@code <table>/index/*}. {@link #grantTable} covers the table only, {@link #grantIndexes} names
 * each index ARN, so no policy has a wildcard resource.
 */
public final class Storage extends Construct {

    /** A global secondary index. {@code include}: null projects ALL, empty KEYS_ONLY, else INCLUDE these. */
    public record IndexSpec(String name, String partitionKey, String sortKey, List<String> include) {
        public IndexSpec {
            Objects.requireNonNull(name);
            Objects.requireNonNull(partitionKey);
            include = include == null ? null : List.copyOf(include);
        }
    }

    /**
     * A table: construct id, the environment variable carrying its name to the functions, keys,
     * indexes, TTL attribute (or null), and whether it has a NEW_AND_OLD_IMAGES stream.
     */
    public record TableSpec(String id, String environmentName, String partitionKey, String sortKey,
            List<IndexSpec> indexes, String ttlAttribute, boolean stream) {
        public TableSpec {
            indexes = List.copyOf(indexes);
        }
    }

    private static final List<String> TYPE = List.of("type");
    private static final List<String> KEYS_ONLY = List.of();
    private static final List<String> ALL = null;

    public static final TableSpec DEVICES = new TableSpec("DevicesTable", "DEVICES_TABLE", "device_id", null, List.of(
            new IndexSpec("all_devices", "list_shard", "device_id", TYPE),
            new IndexSpec("by_name", "list_shard", "name_key", TYPE),
            new IndexSpec("by_status", "status_shard", "device_id", TYPE),
            new IndexSpec("by_site", "site", "device_id", TYPE),
            new IndexSpec("by_site_status", "site_status", "device_id", TYPE),
            new IndexSpec("failing", "failing_shard", "failing_rank", KEYS_ONLY),
            // Devices whose outbox holds an alert no processor run will publish (decommission); the sweeper retries.
            new IndexSpec("pending_alerts", "alerts_shard", "alerts_pending_since", KEYS_ONLY),
            // Contract v1.1, last for the stepwise rollout (-c indexLimit): offline_due replaces offline_watch.
            new IndexSpec("offline_due", "watch_shard", "offline_hour", KEYS_ONLY),
            new IndexSpec("at_risk", "risk_shard", "risk_key", KEYS_ONLY),
            new IndexSpec("at_risk_by_site", "risk_site", "risk_key", KEYS_ONLY),
            // Repeated failures (replaces recent_failures; last, so -c indexLimit=10 drops the old one and a full
            // deploy then adds this one: one GSI per update).
            new IndexSpec("failure_rank", "rf_shard", "rf_rank", List.of("failure_days"))),
            null, true);
    public static final TableSpec SYNC_EVENTS = new TableSpec("SyncEventsTable", "SYNC_EVENTS_TABLE", "device_id",
            "order_key", List.of(
                    new IndexSpec("errors", "err_pk", "err_sk", KEYS_ONLY),
                    new IndexSpec("errors_by_site", "site_err_pk", "err_sk", KEYS_ONLY)),
            "expires_at", true);
    public static final TableSpec ALERTS = new TableSpec("AlertsTable", "ALERTS_TABLE", "alert_id", null, List.of(
            new IndexSpec("all_alerts", "all_shard", "opened_key", ALL),
            new IndexSpec("by_state", "state_shard", "opened_key", ALL),
            new IndexSpec("by_device", "device_id", "opened_key", ALL),
            new IndexSpec("by_site", "site", "opened_key", ALL)),
            null, true); // stream: live updates
    public static final TableSpec SYNC_REQUESTS = new TableSpec("SyncRequestsTable", "SYNC_REQUESTS_TABLE",
            "device_id", "request_id", List.of(), "purge_at", true); // stream: live updates
    public static final TableSpec STATS = new TableSpec("StatsTable", "STATS_TABLE", "scope", "counter", List.of(),
            "expires_at", false);
    /** The audit log: append-only (functions may only PutItem), entries expire after 400 days. */
    public static final TableSpec AUDIT = new TableSpec("AuditTable", "AUDIT_TABLE", "audit_id", null, List.of(
            new IndexSpec("all_entries", "all_shard", "at_key", ALL),
            new IndexSpec("by_actor", "actor", "at_key", ALL),
            new IndexSpec("by_target", "target_id", "at_key", ALL),
            new IndexSpec("by_action", "action_shard", "at_key", ALL)),
            "expires_at", false);

    /** Sites and their profiles (contract v1.1); all_sites lists them by id. */
    public static final TableSpec SITES = new TableSpec("SitesTable", "SITES_TABLE", "site", null, List.of(
            new IndexSpec("all_sites", "list_shard", "site", ALL)),
            null, false);

    /**
     * Site incidents (contract v1.1): each site's incident state, the incidents (newest first in every index) and
     * the devices each covers; also the e-mail subscriptions to the alerts topic (partition "subscriptions").
     */
    public static final TableSpec INCIDENTS = new TableSpec("IncidentsTable", "INCIDENTS_TABLE", "pk", "sk", List.of(
            new IndexSpec("all_incidents", "all_shard", "opened_key", ALL),
            new IndexSpec("by_state", "state_shard", "opened_key", ALL),
            new IndexSpec("by_site", "site", "opened_key", ALL)),
            null, true); // stream: live updates

    /** The incidents table partition of the e-mail subscriptions (the admin function writes nothing else). */
    public static final String SUBSCRIPTIONS_PARTITION = "subscriptions";

    /** Live updates: single-use tickets and WebSocket connections, found by audience (a site, or all sites). */
    public static final TableSpec LIVE = new TableSpec("LiveTable", "LIVE_TABLE", "live_id", "scope", List.of(
            new IndexSpec("by_audience", "audience", "live_id", KEYS_ONLY)),
            "expires_at", false);

    /** In the order of {@code Tables.all}. */
    public static final List<TableSpec> TABLES = List.of(DEVICES, SYNC_EVENTS, ALERTS, SYNC_REQUESTS, STATS, AUDIT,
            SITES, INCIDENTS, LIVE);

    /** The devices index of unpublished alert transitions the sweeper retries (PendingAlertSweep). */
    public static final String PENDING_ALERTS = "pending_alerts";

    /** The devices index the offline sweep reads (calendar-aware offline_at by hour, contract v1.1). */
    public static final String OFFLINE_WATCH = "offline_due";

    private final Map<TableSpec, Table> tables = new LinkedHashMap<>();

    public Storage(Construct scope, String id, StageConfig stage) {
        super(scope, id);
        for (TableSpec spec : TABLES) {
            tables.put(spec, table(stage, spec));
        }
    }

    public Table devices() {
        return tables.get(DEVICES);
    }

    public Table syncEvents() {
        return tables.get(SYNC_EVENTS);
    }

    public Table alerts() {
        return tables.get(ALERTS);
    }

    public Table syncRequests() {
        return tables.get(SYNC_REQUESTS);
    }

    public Table stats() {
        return tables.get(STATS);
    }

    public Table audit() {
        return tables.get(AUDIT);
    }

    public Table sites() {
        return tables.get(SITES);
    }

    public Table incidents() {
        return tables.get(INCIDENTS);
    }

    /**
     * {@code actions} on the items of {@code table} whose partition key is one of {@code partitions} only
     * (IAM condition {@code dynamodb:LeadingKeys}).
     */
    public void grantPartitions(IGrantable grantee, Table table, List<String> partitions, String... actions) {
        spec(table);
        grantee.getGrantPrincipal().addToPrincipalPolicy(software.amazon.awscdk.services.iam.PolicyStatement.Builder
                .create()
                .actions(List.of(actions))
                .resources(List.of(table.getTableArn()))
                .conditions(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", partitions)))
                .build());
    }

    public Table live() {
        return tables.get(LIVE);
    }

    /**
     * Append-only access to the audit log: PutItem (every write is conditional on a new id) and GetItem (to
     * recognise a retried request); never UpdateItem or DeleteItem (asserted by the template tests). TransactWriteItems
     * needs no action of its own: DynamoDB checks PutItem on the audit table for the put inside it.
     */
    public void grantAuditAppend(IGrantable grantee) {
        grantTable(grantee, audit(), "dynamodb:PutItem", "dynamodb:GetItem");
    }

    /** Every table, in {@link #TABLES} order. */
    public List<Table> all() {
        return List.copyOf(tables.values());
    }

    /** Function environment variable name → table, as the functions read them. */
    public Map<String, Table> byEnvironmentName() {
        Map<String, Table> byName = new LinkedHashMap<>();
        tables.forEach((spec, table) -> byName.put(spec.environmentName(), table));
        return byName;
    }

    /** Puts every table name into the environment of every function the factory makes. */
    public void shareTableNames(FunctionFactory functions) {
        byEnvironmentName().forEach((name, table) -> functions.shareEnvironment(name, table.getTableName()));
    }

    /** The names of every index the code defines on {@code table} (declared or not yet, see indexLimit). */
    public List<String> indexNames(Table table) {
        return spec(table).indexes().stream().map(IndexSpec::name).toList();
    }

    /** {@code actions} on the table itself (not its indexes). */
    public void grantTable(IGrantable grantee, Table table, String... actions) {
        spec(table); // a table of this construct
        grant(grantee, List.of(table.getTableArn()), actions);
    }

    /** {@code actions} (in practice dynamodb:Query) on each named index of {@code table}, by exact ARN. */
    public void grantIndexes(IGrantable grantee, Table table, List<String> indexes, String... actions) {
        List<String> known = indexNames(table);
        List<String> arns = new ArrayList<>();
        for (String index : indexes) {
            if (!known.contains(index)) {
                throw new IllegalArgumentException("table " + spec(table).id() + " has no index " + index);
            }
            arns.add(table.getTableArn() + "/index/" + index);
        }
        grant(grantee, arns, actions);
    }

    /** {@code actions} on every index of {@code table}. */
    public void grantAllIndexes(IGrantable grantee, Table table, String... actions) {
        grantIndexes(grantee, table, indexNames(table), actions);
    }

    private static void grant(IGrantable grantee, List<String> resources, String... actions) {
        if (actions.length == 0 || resources.isEmpty()) {
            throw new IllegalArgumentException("a grant needs actions and resources");
        }
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of(actions))
                .resourceArns(resources)
                .build());
    }

    private TableSpec spec(Table table) {
        return tables.entrySet().stream().filter(e -> e.getValue() == table).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a table of " + getNode().getPath()));
    }

    private Table table(StageConfig stage, TableSpec spec) {
        boolean provisioned = stage.provisionedMaxCapacity().isPresent();
        Table.Builder builder = Table.Builder.create(this, spec.id())
                .partitionKey(string(spec.partitionKey()))
                .billingMode(provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(stage.isProduction())
                .removalPolicy(stage.statefulRemovalPolicy());
        if (provisioned) {
            builder.readCapacity(StageConfig.PROVISIONED_MIN_CAPACITY).writeCapacity(StageConfig.PROVISIONED_MIN_CAPACITY);
        }
        if (spec.sortKey() != null) {
            builder.sortKey(string(spec.sortKey()));
        }
        if (spec.ttlAttribute() != null) {
            builder.timeToLiveAttribute(spec.ttlAttribute());
        }
        if (spec.stream()) {
            builder.stream(StreamViewType.NEW_AND_OLD_IMAGES);
        }
        Table table = builder.build();

        int declared = Math.min(spec.indexes().size(), stage.indexLimit().orElse(Integer.MAX_VALUE));
        for (IndexSpec index : spec.indexes().subList(0, declared)) {
            GlobalSecondaryIndexProps.Builder gsi = GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(string(index.partitionKey()));
            if (index.sortKey() != null) {
                gsi.sortKey(string(index.sortKey()));
            }
            if (index.include() == null) {
                gsi.projectionType(ProjectionType.ALL);
            } else if (index.include().isEmpty()) {
                gsi.projectionType(ProjectionType.KEYS_ONLY);
            } else {
                gsi.projectionType(ProjectionType.INCLUDE).nonKeyAttributes(index.include());
            }
            if (provisioned) {
                gsi.readCapacity(StageConfig.PROVISIONED_MIN_CAPACITY).writeCapacity(StageConfig.PROVISIONED_MIN_CAPACITY);
            }
            table.addGlobalSecondaryIndex(gsi.build());
            stage.provisionedMaxCapacity().ifPresent(max -> {
                table.autoScaleGlobalSecondaryIndexReadCapacity(index.name(), scaling(max)).scaleOnUtilization(utilization());
                table.autoScaleGlobalSecondaryIndexWriteCapacity(index.name(), scaling(max)).scaleOnUtilization(utilization());
            });
        }
        stage.provisionedMaxCapacity().ifPresent(max -> {
            table.autoScaleReadCapacity(scaling(max)).scaleOnUtilization(utilization());
            table.autoScaleWriteCapacity(scaling(max)).scaleOnUtilization(utilization());
        });
        return table;
    }

    private static EnableScalingProps scaling(int max) {
        return EnableScalingProps.builder().minCapacity(StageConfig.PROVISIONED_MIN_CAPACITY).maxCapacity(max).build();
    }

    private static UtilizationScalingProps utilization() {
        return UtilizationScalingProps.builder().targetUtilizationPercent(StageConfig.PROVISIONED_TARGET_UTILIZATION).build();
    }

    private static Attribute string(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }
}
