package com.pisync.aws.dynamodb;

import com.pisync.aws.PiSyncConfig;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tables' key schemas, for stacks that create their own tables (local runs and tests). The CDK
 * app declares the same schemas for AWS; a template test keeps the two in step.
 */
public final class Tables {

    private Tables() {
    }

    public static List<CreateTableRequest> definitions(PiSyncConfig config) {
        return List.of(
                table(config.devicesTable(), DeviceItems.DEVICE_ID, null),
                table(config.syncEventsTable(), SyncEventItems.DEVICE_ID, SyncEventItems.ORDER_KEY),
                table(config.alertsTable(), AlertItems.ALERT_ID, null));
    }

    /** Creates each table that does not exist yet and enables TTL on the history. */
    public static void createIfMissing(DynamoDbClient dynamo, PiSyncConfig config) {
        for (CreateTableRequest request : definitions(config)) {
            try {
                dynamo.createTable(request);
            } catch (ResourceInUseException exists) {
                continue;
            }
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(request.tableName()));
        }
        dynamo.updateTimeToLive(r -> r.tableName(config.syncEventsTable())
                .timeToLiveSpecification(t -> t.enabled(true).attributeName(SyncEventItems.EXPIRES_AT)));
    }

    private static CreateTableRequest table(String name, String partitionKey, String sortKey) {
        var attributes = new java.util.ArrayList<AttributeDefinition>();
        var keys = new java.util.ArrayList<KeySchemaElement>();
        attributes.add(AttributeDefinition.builder().attributeName(partitionKey).attributeType(ScalarAttributeType.S).build());
        keys.add(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
        if (sortKey != null) {
            attributes.add(AttributeDefinition.builder().attributeName(sortKey).attributeType(ScalarAttributeType.S).build());
            keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
        }
        return CreateTableRequest.builder().tableName(name).attributeDefinitions(attributes).keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST).build();
    }
}
