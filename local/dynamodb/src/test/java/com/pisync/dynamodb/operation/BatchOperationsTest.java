package com.pisync.dynamodb.operation;

import static com.pisync.dynamodb.DynamoAssertions.assertMessage;
import static com.pisync.dynamodb.operation.ItemOperationsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem and BatchGetItem. */
class BatchOperationsTest {

    static LocalServer local;

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
        local.createTable("batch1", "id", null);
        local.createTable("batch2", "id", null);
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static WriteRequest put(String id) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of("id", s(id), "v", s("x"))).build()).build();
    }

    static WriteRequest delete(String id) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(Map.of("id", s(id))).build()).build();
    }

    @Test
    void writesAndReadsAcrossTablesWithNothingUnprocessed() {
        BatchWriteItemResponse w = local.dynamo.batchWriteItem(b -> b.requestItems(Map.of(
                "batch1", List.of(put("a"), put("b"), put("c")), "batch2", List.of(put("z")))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertTrue(w.unprocessedItems().isEmpty());
        assertEquals(2, w.consumedCapacity().size());
        local.dynamo.batchWriteItem(b -> b.requestItems(Map.of("batch1", List.of(delete("c")))));
        BatchGetItemResponse r = local.dynamo.batchGetItem(b -> b.requestItems(Map.of(
                "batch1", KeysAndAttributes.builder().keys(Map.of("id", s("a")), Map.of("id", s("b")), Map.of("id", s("c"))).build(),
                "batch2", KeysAndAttributes.builder().keys(Map.of("id", s("z"))).projectionExpression("id").build()))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(2, r.responses().get("batch1").size());
        assertEquals(List.of(Map.of("id", s("z"))), r.responses().get("batch2"));
        assertTrue(r.unprocessedKeys().isEmpty());
        double units = r.consumedCapacity().stream().mapToDouble(c -> c.capacityUnits()).sum();
        assertEquals(2.0, units); // 4 eventually consistent reads, half a unit each
    }

    @Test
    void moreThan25WritesAreRefused() {
        List<WriteRequest> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            many.add(put("m" + i));
        }
        assertMessage("Too many items requested for the BatchWriteItem call",
                () -> local.dynamo.batchWriteItem(b -> b.requestItems(Map.of("batch1", many.subList(0, 13), "batch2", many.subList(13, 26)))));
    }

    @Test
    void duplicateKeysAreRefusedAndNothingIsWritten() {
        assertMessage("Provided list of item keys contains duplicates",
                () -> local.dynamo.batchWriteItem(b -> b.requestItems(Map.of("batch1", List.of(put("dup-new"), put("d1"), delete("d1"))))));
        assertFalse(local.dynamo.getItem(b -> b.tableName("batch1").key(Map.of("id", s("dup-new")))).hasItem());
        assertMessage("Provided list of item keys contains duplicates", () -> local.dynamo.batchGetItem(b -> b.requestItems(Map.of(
                "batch1", KeysAndAttributes.builder().keys(Map.of("id", s("a")), Map.of("id", s("a"))).build()))));
    }

    @Test
    void moreThan100KeysAreRefused() {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            keys.add(Map.of("id", s("k" + i)));
        }
        assertMessage("Too many items requested for the BatchGetItem call", () -> local.dynamo.batchGetItem(b -> b.requestItems(Map.of(
                "batch1", KeysAndAttributes.builder().keys(keys.subList(0, 60)).build(),
                "batch2", KeysAndAttributes.builder().keys(keys.subList(60, 101)).build()))));
    }

    @Test
    void anUnknownTableFailsTheWholeBatch() {
        org.junit.jupiter.api.Assertions.assertThrows(ResourceNotFoundException.class,
                () -> local.dynamo.batchWriteItem(b -> b.requestItems(Map.of("batch1", List.of(put("never")), "missing", List.of(put("x"))))));
        assertFalse(local.dynamo.getItem(b -> b.tableName("batch1").key(Map.of("id", s("never")))).hasItem());
    }
}
