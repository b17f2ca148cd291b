package com.pisync.dynamodb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class SdkSmokeTest {

    static LocalServer local;

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void createPutGetDeleteThroughTheSdk() {
        local.createTable("smoke", "pk", "sk");
        TableDescription d = local.dynamo.describeTable(b -> b.tableName("smoke")).table();
        assertEquals("ACTIVE", d.tableStatusAsString());
        assertEquals("arn:aws:dynamodb:ddblocal:000000000000:table/smoke", d.tableArn());
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("1"),
                "n", AttributeValue.fromN("10.50"));
        local.dynamo.putItem(b -> b.tableName("smoke").item(item));
        GetItemResponse got = local.dynamo.getItem(b -> b.tableName("smoke").key(Map.of("pk", AttributeValue.fromS("a"),
                "sk", AttributeValue.fromS("1"))));
        assertTrue(got.hasItem());
        assertEquals("10.5", got.item().get("n").n());
        local.dynamo.deleteItem(b -> b.tableName("smoke").key(Map.of("pk", AttributeValue.fromS("a"),
                "sk", AttributeValue.fromS("1"))));
        assertFalse(local.dynamo.getItem(b -> b.tableName("smoke").key(Map.of("pk", AttributeValue.fromS("a"),
                "sk", AttributeValue.fromS("1")))).hasItem());
    }
}
