package com.pisync.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

class TestBedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dynamoDbEngineCreatesPutsAndGetsWithConsumedCapacity() {
        long t0 = System.nanoTime();
        LocalDynamoDb ddb = TestBed.shared().dynamoDb();
        System.out.printf("dynamodb engine start (first use): %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000, ddb.endpoint());
        assertSame(ddb, TestBed.shared().dynamoDb());
        assertSame(ddb.client(), ddb.client());
        assertEquals("127.0.0.1", ddb.endpoint().getHost());

        DynamoDbClient client = ddb.client();
        createTable(client, "devices");
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS("DEVICE#pi-42"),
                "lastSync", AttributeValue.fromN("1700000000"));
        PutItemResponse put = client.putItem(b -> b.tableName("devices").item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertNotNull(put.consumedCapacity(), "put must report consumed capacity");
        assertEquals(1.0, put.consumedCapacity().capacityUnits());
        assertEquals("devices", put.consumedCapacity().tableName());

        GetItemResponse get = client.getItem(b -> b.tableName("devices").key(Map.of("pk", item.get("pk")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(item, get.item());
        assertNotNull(get.consumedCapacity(), "get must report consumed capacity");
        assertEquals(0.5, get.consumedCapacity().capacityUnits()); // eventually consistent read of < 4 KB
    }

    @Test
    void dynamoDbEnginePersistsInDataDir(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("ddb");
        long t0 = System.nanoTime();
        try (LocalDynamoDb first = LocalDynamoDb.start(data)) {
            System.out.printf("dynamodb engine start (dbPath): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            createTable(first.client(), "persisted");
            first.client().putItem(b -> b.tableName("persisted").item(Map.of("pk", AttributeValue.fromS("k"))));
        }
        assertTrue(Files.list(data).findAny().isPresent(), "the engine keeps its store in dataDir");
        try (LocalDynamoDb second = LocalDynamoDb.start(data)) {
            assertEquals(List.of("persisted"), second.client().listTables().tableNames());
            assertTrue(second.client().getItem(b -> b.tableName("persisted")
                    .key(Map.of("pk", AttributeValue.fromS("k")))).hasItem());
        }
    }

    @Test
    void elasticMqSendsBatchAndReceives() {
        long t0 = System.nanoTime();
        LocalSqs sqs = TestBed.shared().sqs();
        System.out.printf("elasticmq start (first use): %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000, sqs.endpoint());
        assertSame(sqs, TestBed.shared().sqs());

        SqsClient client = sqs.client();
        String queueUrl = client.createQueue(b -> b.queueName("ingest-events")).queueUrl();
        assertTrue(queueUrl.startsWith(sqs.endpoint().toString()), queueUrl);

        List<SendMessageBatchRequestEntry> entries = IntStream.range(0, 3)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("{\"seq\":" + i + "}").build())
                .toList();
        SendMessageBatchResponse sent = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        assertEquals(3, sent.successful().size());
        assertTrue(sent.failed().isEmpty(), () -> "failed: " + sent.failed());

        List<Message> received = new ArrayList<>();
        for (int i = 0; i < 10 && received.size() < 3; i++) {
            received.addAll(client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
        }
        assertEquals(Set.of("{\"seq\":0}", "{\"seq\":1}", "{\"seq\":2}"),
                received.stream().map(Message::body).collect(Collectors.toSet()));
    }

    @Test
    void fauxqsDeliversSnsEnvelopeWithMessageAttributesToSubscribedQueue() throws Exception {
        long t0 = System.nanoTime();
        LocalSns sns = TestBed.shared().sns();
        System.out.printf("fauxqs start (first use): %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000, sns.endpoint());
        assertSame(sns, TestBed.shared().sns());

        SnsClient client = sns.client();
        String topicArn = client.createTopic(b -> b.name("sync-alerts")).topicArn();
        assertTrue(topicArn.endsWith(":sync-alerts"), topicArn);
        String queueUrl = sns.subscribeQueue(topicArn, "sync-alerts-probe");

        String body = "{\"deviceId\":\"pi-42\",\"alert\":\"STALE\"}";
        String messageId = client.publish(b -> b.topicArn(topicArn).message(body).messageAttributes(Map.of(
                "type", MessageAttributeValue.builder().dataType("String").stringValue("sync.stale").build()))).messageId();
        assertNotNull(messageId);

        List<Message> received = new ArrayList<>();
        for (int i = 0; i < 10 && received.isEmpty(); i++) {
            received.addAll(sns.sqsClient().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages());
        }
        assertEquals(1, received.size());
        String raw = received.get(0).body();
        System.out.println("fauxqs envelope: " + raw);
        JsonNode envelope = JSON.readTree(raw);
        assertEquals("Notification", envelope.path("Type").asText());
        assertEquals(topicArn, envelope.path("TopicArn").asText());
        assertEquals(messageId, envelope.path("MessageId").asText());
        assertEquals(body, envelope.path("Message").asText());
        JsonNode type = envelope.path("MessageAttributes").path("type");
        assertEquals("String", type.path("Type").asText(), raw);
        assertEquals("sync.stale", type.path("Value").asText(), raw);
    }

    @Test
    void closedSnsEmulatorReleasesItsPort() {
        long t0 = System.nanoTime();
        LocalSns own = LocalSns.start();
        System.out.printf("fauxqs start (own instance): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        int port = own.endpoint().getPort();
        assertTrue(Ports.accepts(port));
        assertFalse(own.client().listTopics().hasTopics() && !own.client().listTopics().topics().isEmpty(),
                "a new emulator starts empty");
        own.close();
        own.close(); // idempotent
        assertFalse(Ports.accepts(port), "node process must be gone after close()");
    }

    private static void createTable(DynamoDbClient client, String name) {
        client.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
    }
}
