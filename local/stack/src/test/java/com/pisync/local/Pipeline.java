package com.pisync.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.testbed.FaultInjector;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A {@link LocalPiSync} for tests: its clients metered and open to injected faults, plus shortcuts
 * to what the tests look at (device records, history, published alerts).
 */
final class Pipeline {

    final RequestMeter meter = new RequestMeter();
    final FaultInjector faults = new FaultInjector();
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-01T09:00:00Z"));
    final LocalPiSync stack;
    final DynamoDbClient dynamo;
    final SqsClient sqs;
    final PiSyncConfig config;
    final String queueUrl;
    final DeviceStore devices;
    final SyncEventStore history;

    Pipeline() {
        this(3);
    }

    Pipeline(int failureThreshold) {
        stack = new LocalPiSync(TestBed.shared(), clock, failureThreshold, meter, faults);
        dynamo = stack.dynamo;
        sqs = stack.sqs;
        config = stack.config;
        queueUrl = config.syncEventsQueueUrl();
        devices = new DeviceStore(dynamo, config.devicesTable());
        history = new SyncEventStore(dynamo, config.syncEventsTable(), config.historyRetention());
    }

    /** POSTs a device upload; the request time is fixed so tests can assert last_seen_at. */
    APIGatewayV2HTTPResponse post(String body) {
        Instant now = clock.instant();
        clock.set(Instant.ofEpochMilli(1793520181000L));
        try {
            return stack.call("POST", "/v1/sync-events", body);
        } finally {
            clock.set(now);
        }
    }

    List<Message> receive(int max) {
        return stack.receive(max);
    }

    SQSBatchResponse deliver(List<Message> messages) {
        return stack.deliver(messages);
    }

    int drain(int batchSize, int maxRounds) {
        return stack.drain(batchSize, maxRounds);
    }

    int drain() {
        return stack.drain(10, 200);
    }

    DeviceRecord device(String deviceId) {
        return devices.load(deviceId);
    }

    Map<String, AttributeValue> deviceItem(String deviceId) {
        return dynamo.getItem(r -> r.tableName(config.devicesTable()).key(DeviceItems.key(deviceId))
                .consistentRead(true)).item();
    }

    List<ReceivedSyncEvent> history(String deviceId) {
        return history.history(deviceId, 1000);
    }

    Set<String> historyIds(String deviceId) {
        return new HashSet<>(history(deviceId).stream().map(e -> e.event().eventId()).toList());
    }

    List<JsonNode> publishedAlerts() {
        return stack.publishedAlerts();
    }
}
