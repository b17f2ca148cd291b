package com.pisync.dynamodb.table;

import static com.pisync.dynamodb.DynamoAssertions.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.DeleteGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable. */
class TableOperationsTest {

    static LocalServer local;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static AttributeDefinition def(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    static GlobalSecondaryIndex gsi(String name, String pk, ProjectionType type) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(key(pk, KeyType.HASH))
                .projection(Projection.builder().projectionType(type).build()).build();
    }

    @Test
    void describeTableGivesTheFullDescription() {
        local.dynamo.createTable(b -> b.tableName("described").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(def("pk", ScalarAttributeType.S), def("g", ScalarAttributeType.N))
                .keySchema(key("pk", KeyType.HASH)).globalSecondaryIndexes(gsi("byG", "g", ProjectionType.ALL))
                .streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build()));
        local.dynamo.putItem(b -> b.tableName("described").item(Map.of("pk", AttributeValue.fromS("a"), "g", AttributeValue.fromN("1"))));
        local.dynamo.putItem(b -> b.tableName("described").item(Map.of("pk", AttributeValue.fromS("b"))));
        TableDescription d = local.dynamo.describeTable(b -> b.tableName("described")).table();
        assertEquals("ACTIVE", d.tableStatusAsString());
        assertEquals(2, d.itemCount());
        assertEquals(3 + 3 + 3, d.tableSizeBytes()); // pk+"a", g+1, pk+"b"
        assertEquals("PAY_PER_REQUEST", d.billingModeSummary().billingModeAsString());
        assertEquals(0L, d.provisionedThroughput().readCapacityUnits());
        assertNotNull(d.creationDateTime());
        assertEquals("ACTIVE", d.globalSecondaryIndexes().get(0).indexStatusAsString());
        assertEquals(1, d.globalSecondaryIndexes().get(0).itemCount());
        assertEquals("arn:aws:dynamodb:ddblocal:000000000000:table/described/index/byG", d.globalSecondaryIndexes().get(0).indexArn());
        assertTrue(d.streamSpecification().streamEnabled());
        assertEquals(d.tableArn() + "/stream/" + d.latestStreamLabel(), d.latestStreamArn());
    }

    @Test
    void creatingAnExistingTableIsResourceInUse() {
        local.createTable("twice", "pk", null);
        ResourceInUseException e = assertThrows(ResourceInUseException.class, () -> local.createTable("twice", "pk", null));
        assertEquals("Table already exists: twice", e.awsErrorDetails().errorMessage());
    }

    @Test
    void describingAMissingTableNamesIt() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> local.dynamo.describeTable(b -> b.tableName("missing")));
        assertEquals("Requested resource not found: Table: missing not found", e.awsErrorDetails().errorMessage());
    }

    @Test
    void createTableChecksKeysAndDefinitionsLikeDynamoDb() {
        assertMessage("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
                + "Keys: [pk], AttributeDefinitions: [other]", () -> local.dynamo.createTable(b -> b.tableName("bad1")
                .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(def("other", ScalarAttributeType.S)).keySchema(key("pk", KeyType.HASH))));
        assertMessage("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of "
                + "attributes defined in AttributeDefinitions", () -> local.dynamo.createTable(b -> b.tableName("bad2")
                .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(def("pk", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH))));
        assertMessage("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                + "BillingMode is PROVISIONED", () -> local.dynamo.createTable(b -> b.tableName("bad3")
                .attributeDefinitions(def("pk", ScalarAttributeType.S)).keySchema(key("pk", KeyType.HASH))));
        assertMessage("Invalid KeySchema: The first KeySchemaElement is not a HASH key type", () -> local.dynamo.createTable(b -> b
                .tableName("bad4").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(def("pk", ScalarAttributeType.S), def("sk", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.RANGE), key("sk", KeyType.HASH))));
        List<GlobalSecondaryIndex> many = new ArrayList<>();
        List<AttributeDefinition> defs = new ArrayList<>(List.of(def("pk", ScalarAttributeType.S)));
        for (int i = 0; i < 21; i++) {
            many.add(gsi("index" + i, "a" + i, ProjectionType.KEYS_ONLY));
            defs.add(def("a" + i, ScalarAttributeType.S));
        }
        assertMessage("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20",
                () -> local.dynamo.createTable(b -> b.tableName("bad5").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(defs).keySchema(key("pk", KeyType.HASH)).globalSecondaryIndexes(many)));
        assertMessage("1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 3", () -> local.createTable("x", "pk", null));
    }

    @Test
    void listTablesPagesInNameOrder() {
        for (String n : List.of("list-c", "list-a", "list-b")) {
            local.createTable(n, "pk", null);
        }
        List<String> all = local.dynamo.listTables().tableNames();
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(null);
        assertEquals(sorted, all);
        ListTablesResponse page = local.dynamo.listTables(b -> b.exclusiveStartTableName("list-a").limit(1));
        assertEquals(List.of("list-b"), page.tableNames());
        assertEquals("list-b", page.lastEvaluatedTableName());
    }

    @Test
    void aGlobalIndexAddedLaterIsFilledFromTheTableAndCanBeDropped() {
        local.createTable("growing", "pk", null);
        local.dynamo.putItem(b -> b.tableName("growing").item(Map.of("pk", AttributeValue.fromS("a"), "city", AttributeValue.fromS("Oslo"))));
        local.dynamo.updateTable(b -> b.tableName("growing").attributeDefinitions(def("city", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(CreateGlobalSecondaryIndexAction.builder()
                        .indexName("byCity").keySchema(key("city", KeyType.HASH))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()).build()));
        assertEquals(1, local.dynamo.query(b -> b.tableName("growing").indexName("byCity").keyConditionExpression("city = :c")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("Oslo")))).count());
        local.dynamo.updateTable(b -> b.tableName("growing").globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                .delete(DeleteGlobalSecondaryIndexAction.builder().indexName("byCity").build()).build()));
        TableDescription d = local.dynamo.describeTable(b -> b.tableName("growing")).table();
        assertFalse(d.hasGlobalSecondaryIndexes() && !d.globalSecondaryIndexes().isEmpty());
        assertEquals(1, d.attributeDefinitions().size());
    }

    @Test
    void throughputAndBillingModeCanChange() {
        local.dynamo.createTable(b -> b.tableName("provisioned").attributeDefinitions(def("pk", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH)).provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build()));
        assertMessage("The provisioned throughput for the table will not change. The requested value equals the current value. "
                + "Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits "
                + "provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for "
                + "current limits and how to request higher limits.", () -> local.dynamo.updateTable(b -> b.tableName("provisioned")
                .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build())));
        TableDescription d = local.dynamo.updateTable(b -> b.tableName("provisioned")
                .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(10L).writeCapacityUnits(5L).build())).tableDescription();
        assertEquals(10L, d.provisionedThroughput().readCapacityUnits());
        assertNotNull(d.provisionedThroughput().lastIncreaseDateTime());
        d = local.dynamo.updateTable(b -> b.tableName("provisioned").billingMode(BillingMode.PAY_PER_REQUEST)).tableDescription();
        assertEquals("PAY_PER_REQUEST", d.billingModeSummary().billingModeAsString());
    }

    @Test
    void deleteTableRemovesItAndItsData() {
        local.createTable("doomed", "pk", null);
        local.dynamo.putItem(b -> b.tableName("doomed").item(Map.of("pk", AttributeValue.fromS("a"))));
        assertEquals("DELETING", local.dynamo.deleteTable(b -> b.tableName("doomed")).tableDescription().tableStatusAsString());
        assertThrows(ResourceNotFoundException.class, () -> local.dynamo.describeTable(b -> b.tableName("doomed")));
        local.createTable("doomed", "pk", null);
        assertFalse(local.dynamo.getItem(b -> b.tableName("doomed").key(Map.of("pk", AttributeValue.fromS("a")))).hasItem());
    }

    @Test
    void tablesAndItemsSurviveARestart() {
        try (LocalServer first = LocalServer.start(dir, Clock.systemUTC())) {
            first.createTable("kept", "pk", "sk");
            first.dynamo.putItem(b -> b.tableName("kept").item(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("1"))));
        }
        try (LocalServer second = LocalServer.start(dir, Clock.systemUTC())) {
            assertTrue(second.dynamo.getItem(b -> b.tableName("kept").key(Map.of("pk", AttributeValue.fromS("a"),
                    "sk", AttributeValue.fromS("1")))).hasItem());
            assertEquals(1L, second.dynamo.describeTable(b -> b.tableName("kept")).table().itemCount());
            assertNull(second.dynamo.describeTable(b -> b.tableName("kept")).table().latestStreamArn());
        }
    }
}
