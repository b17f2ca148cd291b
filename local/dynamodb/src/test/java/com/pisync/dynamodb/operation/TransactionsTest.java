package com.pisync.dynamodb.operation;

import static com.pisync.dynamodb.DynamoAssertions.assertMessage;
import static com.pisync.dynamodb.operation.ItemOperationsTest.n;
import static com.pisync.dynamodb.operation.ItemOperationsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pisync.dynamodb.LocalServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** TransactWriteItems and TransactGetItems. */
class TransactionsTest {

    static LocalServer local;

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
        local.createTable("accounts", "id", null);
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static TransactWriteItem put(String id, String balance) {
        return TransactWriteItem.builder().put(Put.builder().tableName("accounts").item(Map.of("id", s(id), "balance", n(balance))).build()).build();
    }

    static TransactWriteItem debit(String id, String amount) {
        return TransactWriteItem.builder().update(Update.builder().tableName("accounts").key(Map.of("id", s(id)))
                .updateExpression("SET balance = balance - :a").conditionExpression("balance >= :a")
                .expressionAttributeValues(Map.of(":a", n(amount))).returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    static String balance(String id) {
        return local.dynamo.getItem(b -> b.tableName("accounts").key(Map.of("id", s(id))).consistentRead(true)).item().get("balance").n();
    }

    @Test
    void allActionsApplyTogether() {
        TransactWriteItemsResponse r = local.dynamo.transactWriteItems(b -> b.transactItems(put("a1", "10"), put("a2", "0"))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(4.0, r.consumedCapacity().get(0).capacityUnits()); // 2 writes of 1 unit, doubled
        local.dynamo.transactWriteItems(b -> b.transactItems(debit("a1", "4"), TransactWriteItem.builder().update(Update.builder()
                .tableName("accounts").key(Map.of("id", s("a2"))).updateExpression("ADD balance :a")
                .expressionAttributeValues(Map.of(":a", n("4"))).build()).build()));
        assertEquals("6", balance("a1"));
        assertEquals("4", balance("a2"));
    }

    @Test
    void aFailedConditionCancelsEverythingWithReasonsInOrder() {
        local.dynamo.transactWriteItems(b -> b.transactItems(put("b1", "1"), put("b2", "100")));
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> local.dynamo.transactWriteItems(b -> b
                .transactItems(debit("b2", "5"), debit("b1", "5"), TransactWriteItem.builder().delete(Delete.builder().tableName("accounts")
                        .key(Map.of("id", s("b3"))).build()).build())));
        List<CancellationReason> reasons = e.cancellationReasons();
        assertEquals(List.of("None", "ConditionalCheckFailed", "None"), reasons.stream().map(CancellationReason::code).toList());
        assertEquals("1", reasons.get(1).item().get("balance").n());
        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]",
                e.awsErrorDetails().errorMessage());
        assertEquals("100", balance("b2"));
    }

    @Test
    void aConditionCheckGuardsWithoutWriting() {
        local.dynamo.transactWriteItems(b -> b.transactItems(put("c1", "1")));
        assertThrows(TransactionCanceledException.class, () -> local.dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName("accounts").key(Map.of("id", s("c1")))
                        .conditionExpression("attribute_not_exists(id)").build()).build(), put("c2", "1"))));
        assertFalse(local.dynamo.getItem(b -> b.tableName("accounts").key(Map.of("id", s("c2")))).hasItem());
    }

    @Test
    void oneItemTwiceIsRefused() {
        assertMessage("Transaction request cannot include multiple operations on one item",
                () -> local.dynamo.transactWriteItems(b -> b.transactItems(put("d1", "1"), debit("d1", "1"))));
    }

    @Test
    void moreThan100ActionsAreRefused() {
        List<TransactWriteItem> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(put("m" + i, "1"));
        }
        assertMessage("1 validation error detected at 'transactItems' failed to satisfy constraint: Member must have length less than "
                + "or equal to 100.", () -> local.dynamo.transactWriteItems(b -> b.transactItems(many)));
    }

    @Test
    void aRepeatedClientTokenDoesNotWriteTwiceAndADifferentRequestWithItIsRefused() {
        local.dynamo.transactWriteItems(b -> b.transactItems(put("e1", "10")));
        local.dynamo.transactWriteItems(b -> b.transactItems(debit("e1", "3")).clientRequestToken("token-1"));
        local.dynamo.transactWriteItems(b -> b.transactItems(debit("e1", "3")).clientRequestToken("token-1"));
        assertEquals("7", balance("e1"));
        assertThrows(IdempotentParameterMismatchException.class,
                () -> local.dynamo.transactWriteItems(b -> b.transactItems(debit("e1", "1")).clientRequestToken("token-1")));
    }

    @Test
    void transactGetReadsItemsInRequestOrder() {
        local.dynamo.transactWriteItems(b -> b.transactItems(put("f1", "1"), put("f2", "2")));
        var r = local.dynamo.transactGetItems(b -> b.transactItems(
                TransactGetItem.builder().get(Get.builder().tableName("accounts").key(Map.of("id", s("f2"))).build()).build(),
                TransactGetItem.builder().get(Get.builder().tableName("accounts").key(Map.of("id", s("none"))).build()).build(),
                TransactGetItem.builder().get(Get.builder().tableName("accounts").key(Map.of("id", s("f1"))).projectionExpression("balance").build()).build())
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals("2", r.responses().get(0).item().get("balance").n());
        assertFalse(r.responses().get(1).hasItem());
        assertEquals(Map.of("balance", n("1")), r.responses().get(2).item());
        assertEquals(6.0, r.consumedCapacity().get(0).capacityUnits());
    }
}
