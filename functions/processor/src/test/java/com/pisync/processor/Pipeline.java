package com.pisync.processor;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.ingest.DeviceAuthenticator;
import com.pisync.ingest.IngestHandler;
import com.pisync.ingest.SyncEventIngest;
import com.pisync.ingest.SyncEventQueue;
import com.pisync.testbed.FaultInjector;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The core pipeline on real local servers: ingest function → ElasticMQ → processor function →
 * DynamoDB Local, alerts → fauxqs topic → a fauxqs queue the test reads. Each pipeline has its own
 * tables, queue and topic. Delivery to the processor follows Lambda's SQS event source: batches,
 * partial batch responses, failed messages redelivered.
 */
final class Pipeline {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T09:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    final RequestMeter meter = new RequestMeter();
    final FaultInjector faults = new FaultInjector();
    final DynamoDbClient dynamo;
    final SqsClient sqs;
    final SnsClient sns;
    final PiSyncConfig config;
    final IngestHandler ingest;
    final ProcessorHandler processor;
    final String queueUrl;
    final String alertsQueueUrl;
    final DeviceStore devices;
    final SyncEventStore history;

    Pipeline() {
        this(3);
    }

    Pipeline(int failureThreshold) {
        TestBed bed = TestBed.shared();
        dynamo = LocalClients.dynamoDb(bed.dynamoDb().endpoint(), meter, faults);
        sqs = LocalClients.sqs(bed.sqs().endpoint(), meter, faults);
        sns = LocalClients.sns(bed.sns().endpoint(), meter, faults);
        String id = UUID.randomUUID().toString().substring(0, 8);
        queueUrl = sqs.createQueue(r -> r.queueName("sync-events-" + id)).queueUrl();
        String topicArn = sns.createTopic(r -> r.name("alerts-" + id)).topicArn();
        alertsQueueUrl = bed.sns().subscribeQueue(topicArn, "alerts-" + id);
        config = PiSyncConfig.from(Map.of()).withResources("devices-" + id, "sync-events-" + id, "alerts-" + id,
                queueUrl, topicArn).withFailureThreshold(failureThreshold);
        Tables.createIfMissing(dynamo, config);
        ingest = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.TRUST_BODY,
                new SyncEventQueue(sqs, queueUrl), CLOCK));
        processor = new ProcessorHandler(dynamo, sns, config, CLOCK);
        devices = new DeviceStore(dynamo, config.devicesTable());
        history = new SyncEventStore(dynamo, config.syncEventsTable(), config.historyRetention());
    }

    /** POSTs a body to the ingest function; asserts nothing. */
    APIGatewayV2HTTPResponse post(String body) {
        APIGatewayV2HTTPEvent request = EventLoader.loadApiGatewayHttpEvent("events/ingest/post-sync-event.json");
        request.setBody(body);
        return ingest.handleRequest(request, null);
    }

    /** Takes up to {@code max} messages off the queue without processing them. */
    List<Message> receive(int max) {
        List<Message> all = new ArrayList<>();
        while (all.size() < max) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(Math.min(10, max - all.size()))
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (got.isEmpty()) {
                break;
            }
            all.addAll(got);
        }
        return all;
    }

    /** Invokes the processor with these messages as one batch, as Lambda would. */
    SQSBatchResponse deliver(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setAttributes(m.attributesAsStrings());
            r.setEventSource("aws:sqs");
            records.add(r);
        }
        event.setRecords(records);
        return processor.handleRequest(event, null);
    }

    /**
     * Runs the processor until the queue is empty: successes are deleted, failures made visible
     * again at once (instead of after the visibility timeout). Gives up after {@code maxRounds}.
     *
     * @return the number of message deliveries that failed along the way
     */
    int drain(int batchSize, int maxRounds) {
        int failures = 0;
        for (int round = 0; round < maxRounds; round++) {
            List<Message> batch = receive(batchSize);
            if (batch.isEmpty()) {
                return failures;
            }
            SQSBatchResponse response = deliver(batch);
            Set<String> failed = response.getBatchItemFailures().stream()
                    .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
            failures += failed.size();
            for (Message m : batch) {
                if (failed.contains(m.messageId())) {
                    sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(0));
                } else {
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
        }
        throw new AssertionError("queue not drained after " + maxRounds + " rounds");
    }

    int drain() {
        return drain(10, 200);
    }

    DeviceRecord device(String deviceId) {
        return devices.load(deviceId);
    }

    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> deviceItem(String deviceId) {
        return dynamo.getItem(r -> r.tableName(config.devicesTable()).key(DeviceItems.key(deviceId))
                .consistentRead(true)).item();
    }

    List<ReceivedSyncEvent> history(String deviceId) {
        return history.history(deviceId, 1000);
    }

    /** Alert notifications SNS delivered, oldest first: the envelope's Message parsed, with its attributes. */
    List<JsonNode> publishedAlerts() {
        List<JsonNode> alerts = new ArrayList<>();
        SqsClient reader = TestBed.shared().sns().sqsClient();
        for (int empty = 0; empty < 2; ) {
            int wait = empty == 0 ? 0 : 1; // one short long-poll to be sure nothing is still on its way
            List<Message> got = reader.receiveMessage(r -> r.queueUrl(alertsQueueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(wait)).messages();
            if (got.isEmpty()) {
                empty++;
                continue;
            }
            for (Message m : got) {
                try {
                    JsonNode envelope = JSON.readTree(m.body());
                    com.fasterxml.jackson.databind.node.ObjectNode alert =
                            (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(envelope.get("Message").asText());
                    alert.set("_attributes", envelope.get("MessageAttributes"));
                    alerts.add(alert);
                } catch (Exception e) {
                    throw new AssertionError("not an SNS envelope: " + m.body(), e);
                }
                reader.deleteMessage(r -> r.queueUrl(alertsQueueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return alerts;
    }

    Set<String> historyIds(String deviceId) {
        return new HashSet<>(history(deviceId).stream().map(e -> e.event().eventId()).toList());
    }
}
