package com.pisync.dynamodb.operation;

import static com.pisync.dynamodb.DynamoAssertions.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** PutItem, GetItem, UpdateItem, DeleteItem through the SDK. */
class ItemOperationsTest {

    static LocalServer local;

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
        local.createTable("items", "pk", "sk");
        local.createTable("simple", "id", null);
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    static Map<String, AttributeValue> item(String pk, String sk, Object... more) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk, sk));
        for (int i = 0; i < more.length; i += 2) {
            item.put((String) more[i], (AttributeValue) more[i + 1]);
        }
        return item;
    }

    @Test
    void putReplacesTheWholeItemAndReturnsTheOldOneWhenAsked() {
        local.dynamo.putItem(b -> b.tableName("items").item(item("p1", "a", "x", n("1"), "y", s("keep?"))));
        PutItemResponse r = local.dynamo.putItem(b -> b.tableName("items").item(item("p1", "a", "x", n("2")))
                .returnValues(ReturnValue.ALL_OLD));
        assertEquals("1", r.attributes().get("x").n());
        Map<String, AttributeValue> now = local.dynamo.getItem(b -> b.tableName("items").key(key("p1", "a"))).item();
        assertEquals(Map.of("pk", s("p1"), "sk", s("a"), "x", n("2")), now);
    }

    @Test
    void putWithAFailingConditionChangesNothingAndCanReturnTheItem() {
        local.dynamo.putItem(b -> b.tableName("items").item(item("p2", "a", "v", n("1"))));
        ConditionalCheckFailedException e = assertThrows(ConditionalCheckFailedException.class,
                () -> local.dynamo.putItem(b -> b.tableName("items").item(item("p2", "a", "v", n("2")))
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals("The conditional request failed", e.awsErrorDetails().errorMessage());
        assertEquals("1", e.item().get("v").n());
        assertEquals("1", local.dynamo.getItem(b -> b.tableName("items").key(key("p2", "a"))).item().get("v").n());
    }

    @Test
    void conditionalCreateSucceedsOnceOnly() {
        local.dynamo.putItem(b -> b.tableName("items").item(item("p3", "a")).conditionExpression("attribute_not_exists(pk)"));
        assertThrows(ConditionalCheckFailedException.class,
                () -> local.dynamo.putItem(b -> b.tableName("items").item(item("p3", "a")).conditionExpression("attribute_not_exists(pk)")));
    }

    @Test
    void updateCreatesAndChangesItemsWithSetAddRemoveAndReturnsWhatWasAskedFor() {
        UpdateItemResponse created = local.dynamo.updateItem(b -> b.tableName("items").key(key("u1", "a"))
                .updateExpression("SET #c = if_not_exists(#c, :zero) + :one, tags = :tags")
                .expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1"), ":tags", AttributeValue.fromSs(java.util.List.of("a"))))
                .returnValues(ReturnValue.ALL_NEW));
        assertEquals("1", created.attributes().get("count").n());
        assertEquals("u1", created.attributes().get("pk").s());
        UpdateItemResponse updated = local.dynamo.updateItem(b -> b.tableName("items").key(key("u1", "a"))
                .updateExpression("ADD #c :five REMOVE tags")
                .expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":five", n("5")))
                .conditionExpression("attribute_exists(pk)")
                .returnValues(ReturnValue.UPDATED_OLD));
        assertEquals(Map.of("count", n("1"), "tags", AttributeValue.fromSs(java.util.List.of("a"))), updated.attributes());
        UpdateItemResponse newer = local.dynamo.updateItem(b -> b.tableName("items").key(key("u1", "a"))
                .updateExpression("SET extra = :v").expressionAttributeValues(Map.of(":v", s("x")))
                .returnValues(ReturnValue.UPDATED_NEW));
        assertEquals(Map.of("extra", s("x")), newer.attributes());
        assertEquals("6", local.dynamo.getItem(b -> b.tableName("items").key(key("u1", "a"))).item().get("count").n());
    }

    @Test
    void anUpdateThatOnlyRemovesFromAMissingItemCreatesNothing() {
        UpdateItemResponse removed = local.dynamo.updateItem(b -> b.tableName("items").key(key("u3", "a"))
                .updateExpression("REMOVE note").returnValues(ReturnValue.ALL_NEW));
        assertFalse(removed.hasAttributes() && !removed.attributes().isEmpty());
        assertFalse(local.dynamo.getItem(b -> b.tableName("items").key(key("u3", "a")).consistentRead(true)).hasItem());
        local.dynamo.updateItem(b -> b.tableName("items").key(key("u3", "a"))
                .updateExpression("DELETE tags :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromSs(java.util.List.of("a")))));
        assertFalse(local.dynamo.getItem(b -> b.tableName("items").key(key("u3", "a")).consistentRead(true)).hasItem());
    }

    @Test
    void updateRefusesToChangeAKeyAttribute() {
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> local.dynamo.updateItem(b -> b.tableName("items")
                .key(key("u2", "a")).updateExpression("SET sk = :v").expressionAttributeValues(Map.of(":v", s("b")))));
        assertEquals("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void deleteRemovesTheItemAndReturnsItWhenAsked() {
        local.dynamo.putItem(b -> b.tableName("items").item(item("d1", "a", "v", s("gone"))));
        Map<String, AttributeValue> old = local.dynamo.deleteItem(b -> b.tableName("items").key(key("d1", "a"))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        assertEquals("gone", old.get("v").s());
        assertFalse(local.dynamo.getItem(b -> b.tableName("items").key(key("d1", "a"))).hasItem());
        assertThrows(ConditionalCheckFailedException.class, () -> local.dynamo.deleteItem(b -> b.tableName("items")
                .key(key("d1", "a")).conditionExpression("attribute_exists(pk)")));
    }

    @Test
    void getProjectsNestedPaths() {
        local.dynamo.putItem(b -> b.tableName("items").item(item("g1", "a", "m",
                AttributeValue.fromM(Map.of("x", n("1"), "y", n("2"))), "other", s("o"))));
        Map<String, AttributeValue> got = local.dynamo.getItem(b -> b.tableName("items").key(key("g1", "a"))
                .projectionExpression("m.x, pk")).item();
        assertEquals(Map.of("pk", s("g1"), "m", AttributeValue.fromM(Map.of("x", n("1")))), got);
    }

    @Test
    void anUnknownTableIsResourceNotFound() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> local.dynamo.getItem(b -> b.tableName("nope").key(key("a", "b"))));
        assertEquals("Requested resource not found", e.awsErrorDetails().errorMessage());
    }

    @Test
    void keysAreCheckedAgainstTheSchemaWithDynamoDbsMessages() {
        assertMessage("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
                () -> local.dynamo.putItem(b -> b.tableName("items").item(Map.of("pk", n("1"), "sk", s("a")))));
        assertMessage("One or more parameter values were invalid: Missing the key sk in the item",
                () -> local.dynamo.putItem(b -> b.tableName("items").item(Map.of("pk", s("1")))));
        assertMessage("The provided key element does not match the schema",
                () -> local.dynamo.getItem(b -> b.tableName("items").key(Map.of("pk", s("1")))));
        assertMessage("The provided key element does not match the schema",
                () -> local.dynamo.getItem(b -> b.tableName("items").key(Map.of("pk", s("1"), "sk", s("a"), "x", s("y")))));
        assertMessage("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
                + "empty string value. Key: pk", () -> local.dynamo.putItem(b -> b.tableName("items").item(Map.of("pk", s(""), "sk", s("a")))));
        assertMessage("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
                () -> local.dynamo.putItem(b -> b.tableName("simple").item(Map.of("id", s("x".repeat(2049))))));
        assertMessage("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
                () -> local.dynamo.putItem(b -> b.tableName("items").item(Map.of("pk", s("x"), "sk", s("y".repeat(1025))))));
    }

    @Test
    void anItemOver400KbIsRefused() {
        assertMessage("Item size has exceeded the maximum allowed size", () -> local.dynamo.putItem(b -> b.tableName("simple")
                .item(Map.of("id", s("big"), "blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[400 * 1024]))))));
        local.dynamo.putItem(b -> b.tableName("simple")
                .item(Map.of("id", s("fits"), "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[400 * 1024 - 10])))));
    }

    @Test
    void putAcceptsOnlyAllOldOrNone() {
        assertMessage("ReturnValues can only be ALL_OLD or NONE", () -> local.dynamo.putItem(b -> b.tableName("simple")
                .item(Map.of("id", s("rv"))).returnValues(ReturnValue.ALL_NEW)));
    }

    @Test
    void expressionAndLegacyParametersCannotBeMixed() {
        assertMessage("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
                + "{AttributesToGet} Expression parameters: {ProjectionExpression}", () -> local.dynamo.getItem(b -> b.tableName("simple")
                .key(Map.of("id", s("x"))).attributesToGet("a").projectionExpression("b")));
    }

    @Test
    void unusedExpressionValuesAreRefused() {
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> local.dynamo.putItem(b -> b.tableName("simple")
                .item(Map.of("id", s("u"))).conditionExpression("attribute_not_exists(id)")
                .expressionAttributeValues(Map.of(":unused", s("x")))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("unused in expressions"), e.awsErrorDetails().errorMessage());
    }

    @Test
    void anInvalidTableNameIsAConstraintViolation() {
        assertMessage("2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy "
                + "regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 3",
                () -> local.dynamo.getItem(b -> b.tableName("a;").key(Map.of("id", s("x")))));
    }

}
