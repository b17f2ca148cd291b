package com.pisync.dynamodb.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.pisync.dynamodb.LocalServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** ReturnConsumedCapacity through the SDK: table and index units by AWS's rules. */
class ConsumedCapacityTest {

    static LocalServer local;

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
        local.dynamo.createTable(b -> b.tableName("metered").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("state").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byState")
                        .keySchema(KeySchemaElement.builder().attributeName("state").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build()));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static Map<String, AttributeValue> item(String pk, String state, int padding) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        if (state != null) {
            item.put("state", AttributeValue.fromS(state));
        }
        item.put("pad", AttributeValue.fromS("x".repeat(padding)));
        return item;
    }

    static ConsumedCapacity put(Map<String, AttributeValue> item) {
        return local.dynamo.putItem(b -> b.tableName("metered").item(item).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
                .consumedCapacity();
    }

    @Test
    void aWriteCostsItsSizeOnTheTableAndItsProjectionOnEachIndex() {
        ConsumedCapacity c = put(item("a", "new", 1500)); // 2 KB rounded on the table, the keys-only entry 1
        assertEquals(2.0, c.table().capacityUnits());
        assertEquals(1.0, c.globalSecondaryIndexes().get("byState").capacityUnits());
        assertEquals(3.0, c.capacityUnits());
        assertEquals(3.0, c.writeCapacityUnits());
    }

    @Test
    void changingAnIndexKeyCostsADeleteAndAPut() {
        put(item("b", "new", 10));
        ConsumedCapacity c = put(item("b", "done", 10));
        assertEquals(2.0, c.globalSecondaryIndexes().get("byState").capacityUnits());
    }

    @Test
    void aWriteThatLeavesTheProjectionAloneCostsTheIndexNothing() {
        put(item("c", "new", 10));
        ConsumedCapacity c = put(item("c", "new", 20));
        assertEquals(1.0, c.table().capacityUnits());
        assertFalse(c.hasGlobalSecondaryIndexes() && c.globalSecondaryIndexes().containsKey("byState"));
    }

    @Test
    void anOverwriteCostsTheLargerOfOldAndNewAndADeleteTheDeletedItem() {
        put(item("d", null, 3000));
        ConsumedCapacity c = put(item("d", null, 10));
        assertEquals(3.0, c.table().capacityUnits());
        ConsumedCapacity deleted = local.dynamo.deleteItem(b -> b.tableName("metered").key(Map.of("pk", AttributeValue.fromS("d")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertEquals(1.0, deleted.capacityUnits());
        assertNull(deleted.table());
    }

    @Test
    void readsAreHalvedWhenEventuallyConsistentAndScansRoundTheSumOnce() {
        local.createTable("reads", "pk", null);
        for (String pk : new String[] {"e", "f"}) {
            local.dynamo.putItem(b -> b.tableName("reads").item(Map.of("pk", AttributeValue.fromS(pk),
                    "pad", AttributeValue.fromS("x".repeat(3000)))));
        }
        ConsumedCapacity strong = local.dynamo.getItem(b -> b.tableName("reads").key(Map.of("pk", AttributeValue.fromS("e")))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertEquals(1.0, strong.capacityUnits());
        ConsumedCapacity eventual = local.dynamo.getItem(b -> b.tableName("reads").key(Map.of("pk", AttributeValue.fromS("e")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertEquals(0.5, eventual.capacityUnits());
        // two items of ~3 KB: 6 KB rounds up once to 8 KB = 2 units, halved; each alone would make 1 + 1
        ConsumedCapacity scan = local.dynamo.scan(b -> b.tableName("reads").filterExpression("attribute_not_exists(nothing)")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertEquals(1.0, scan.capacityUnits());
        assertEquals(1.0, scan.readCapacityUnits());
        ConsumedCapacity strongScan = local.dynamo.scan(b -> b.tableName("reads").consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertEquals(2.0, strongScan.capacityUnits());
    }
}
