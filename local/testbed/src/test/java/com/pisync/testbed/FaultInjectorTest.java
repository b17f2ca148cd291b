package com.pisync.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** What each injected fault looks like to a caller of a real (local) server, SDK retries included. */
class FaultInjectorTest {

    private final FaultInjector faults = new FaultInjector();
    private final DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint(), faults);
    private final String table = "faults-" + UUID.randomUUID();

    FaultInjectorTest() {
        dynamo.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
    }

    private void putNew(String pk) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk)))
                .conditionExpression("attribute_not_exists(pk)"));
    }

    private boolean exists(String pk) {
        return dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true))
                .hasItem();
    }

    @Test
    void throttledOnceIsRetriedByTheSdk() {
        faults.randomly("DynamoDb.PutItem", 1.0, FaultInjector.Fault.THROTTLED_ONCE);
        putNew("a");
        faults.clear();
        assertTrue(exists("a"));
    }

    @Test
    void attemptTimeoutAfterTheServerDidItSendsTheRequestTwice() {
        faults.randomly("DynamoDb.PutItem", 1.0, FaultInjector.Fault.ATTEMPT_TIMEOUT_AFTER_SERVER_DID_IT);
        // the retry of a conditional put that succeeded fails its condition: the caller must cope
        assertThrows(ConditionalCheckFailedException.class, () -> putNew("b"));
        assertEquals(1L, faults.injected(FaultInjector.Fault.ATTEMPT_TIMEOUT_AFTER_SERVER_DID_IT));
        faults.clear();
        assertTrue(exists("b"));
    }

    @Test
    void callFaultsAreNotRetriedAndSayWhetherTheServerDidIt() {
        faults.randomly("DynamoDb.PutItem", 1.0, FaultInjector.Fault.THROTTLED);
        assertThrows(ProvisionedThroughputExceededException.class, () -> putNew("c"));
        faults.clear();
        faults.randomly("DynamoDb.PutItem", 1.0, FaultInjector.Fault.TIMEOUT_BEFORE_SENDING);
        assertThrows(ApiCallTimeoutException.class, () -> putNew("c"));
        faults.clear();
        assertTrue(!exists("c"));
        faults.randomly("DynamoDb.PutItem", 1.0, FaultInjector.Fault.TIMEOUT_AFTER_SERVER_DID_IT);
        assertThrows(ApiCallTimeoutException.class, () -> putNew("c"));
        assertEquals(Map.of("TIMEOUT_AFTER_SERVER_DID_IT DynamoDb.PutItem", 1L), faults.injected());
        faults.clear();
        assertTrue(exists("c"));
    }

    @Test
    void aCrashLetsSomeCallsThroughThenFailsEveryCall() {
        faults.crashAfterCalls("DynamoDb.", 2, true);
        putNew("d1");
        putNew("d2");
        assertThrows(ApiCallTimeoutException.class, () -> putNew("d3"));
        assertTrue(faults.crashed());
        assertThrows(SdkClientException.class, () -> putNew("d4"));
        faults.recover();
        assertTrue(exists("d3"), "the call that crashed reached the server");
        assertTrue(!exists("d4"));
    }

    @Test
    void sameSeedSameDecisions() {
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        for (StringBuilder out : new StringBuilder[] {first, second}) {
            faults.clear();
            faults.seed(42).randomly("DynamoDb.GetItem", 0.3, FaultInjector.Fault.THROTTLED,
                    FaultInjector.Fault.TIMEOUT_BEFORE_SENDING);
            for (int i = 0; i < 40; i++) {
                try {
                    exists("x");
                    out.append('.');
                } catch (RuntimeException e) {
                    out.append(e instanceof ProvisionedThroughputExceededException ? 'T' : 'O');
                }
            }
        }
        assertEquals(first.toString(), second.toString());
        assertTrue(first.toString().contains("T") && first.toString().contains("O") && first.toString().contains("."));
    }
}
