package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The DynamoDB tables: on-demand, point-in-time recovery, encrypted with the AWS-managed key.
 * Prod tables are retained and deletion-protected; dev tables go away with the stack.
 */
public final class Storage extends Construct {

    public static final String DEVICE_ID = "device_id";
    public static final String ORDER_KEY = "order_key";
    public static final String ALERT_ID = "alert_id";
    public static final String EXPIRES_AT = "expires_at";

    private final Table devices;
    private final Table syncEvents;
    private final Table alerts;

    public Storage(Construct scope, String id, StageConfig stage) {
        super(scope, id);
        devices = table(stage, "DevicesTable", DEVICE_ID, null, null);
        syncEvents = table(stage, "SyncEventsTable", DEVICE_ID, ORDER_KEY, EXPIRES_AT);
        alerts = table(stage, "AlertsTable", ALERT_ID, null, null);

        // Global secondary indexes (query/admin issue) go here, e.g.
        //   syncEvents.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName(...)...);
        // Note: once a table has an index, Table.grant(...) also covers "<tableArn>/index/*"; add an
        // AwsSolutions-IAM5 suppression with appliesTo "Resource::<Table.Arn>/index/*" for that role.
    }

    public Table devices() {
        return devices;
    }

    public Table syncEvents() {
        return syncEvents;
    }

    public Table alerts() {
        return alerts;
    }

    /** Function environment variable name → table, as the functions read them. */
    public Map<String, Table> byEnvironmentName() {
        Map<String, Table> tables = new LinkedHashMap<>();
        tables.put("DEVICES_TABLE", devices);
        tables.put("SYNC_EVENTS_TABLE", syncEvents);
        tables.put("ALERTS_TABLE", alerts);
        return tables;
    }

    /** Puts every table name into the environment of every function the factory makes. */
    public void shareTableNames(FunctionFactory functions) {
        byEnvironmentName().forEach((name, table) -> functions.shareEnvironment(name, table.getTableName()));
    }

    private Table table(StageConfig stage, String id, String partitionKey, String sortKey, String ttlAttribute) {
        Table.Builder builder = Table.Builder.create(this, id)
                .partitionKey(Attribute.builder().name(partitionKey).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(stage.isProduction())
                .removalPolicy(stage.statefulRemovalPolicy());
        if (sortKey != null) {
            builder.sortKey(Attribute.builder().name(sortKey).type(AttributeType.STRING).build());
        }
        if (ttlAttribute != null) {
            builder.timeToLiveAttribute(ttlAttribute);
        }
        return builder.build();
    }
}
