package com.pisync.local.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.domain.DeviceState;
import com.pisync.local.LocalPiSync;
import com.pisync.local.LocalServers;
import com.pisync.local.SettableClock;
import com.pisync.testbed.DeadLetterRedrive;
import com.pisync.testbed.FaultInjector;
import com.pisync.testbed.TestBed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Messages that cannot be processed: parked in the dead-letter queue after the CDK app's maxReceiveCount
 * receives without holding up the others, and, once the cause is fixed, redriven and stored exactly once.
 */
class DeadLetterQueueTest {

    /** The CDK app's {@code Processing.MAX_RECEIVE_COUNT}, read from its source so the local stack cannot drift. */
    static final int MAX_RECEIVE_COUNT = cdkMaxReceiveCount();

    private final FaultInjector faults = new FaultInjector();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-01T09:00:00Z"));
    private final LocalPiSync stack = new LocalPiSync(LocalServers.of(TestBed.shared()), new LocalPiSync.Settings()
            .clock(clock).deadLetterAfter(MAX_RECEIVE_COUNT).interceptors(faults));
    private final String queueUrl = stack.config.syncEventsQueueUrl();
    private final DeviceStore devices = new DeviceStore(stack.dynamo, stack.config.devicesTable());
    private final SyncEventStore history = new SyncEventStore(stack.dynamo, stack.config.syncEventsTable(),
            stack.config.historyRetention());
    /** Deliveries per message id (as Lambda would count its invocations). */
    private final Map<String, Integer> deliveries = new HashMap<>();

    static int cdkMaxReceiveCount() {
        Path source = Path.of("..", "..", "infra", "src", "main", "java", "com", "pisync", "infra", "constructs",
                "Processing.java");
        try {
            Matcher m = Pattern.compile("MAX_RECEIVE_COUNT\\s*=\\s*(\\d+)").matcher(Files.readString(source));
            assertTrue(m.find(), "MAX_RECEIVE_COUNT in " + source);
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + source.toAbsolutePath().normalize(), e);
        }
    }

    static String event(String device, int minute, boolean failed) {
        return "{\"device_id\":\"" + device + "\",\"event_id\":\"" + device + "-" + minute + "\",\"timestamp\":\""
                + Instant.parse("2026-11-01T08:00:00Z").plusSeconds(60L * minute) + "\",\"total_files_synced\":"
                + (failed ? 0 : 4) + ",\"total_errors\":" + (failed ? 1 : 0) + ",\"internet_speed\":3.5"
                + (failed ? ",\"error_code\":\"DISK_FULL\"" : "") + "}";
    }

    static String upload(String... events) {
        return events.length == 1 ? events[0] : "{\"events\":[" + String.join(",", events) + "]}";
    }

    private void post(String body) {
        assertEquals(202, stack.call("POST", "/v1/sync-events", body).getStatusCode());
    }

    /**
     * Lambda's event source, with the visibility timeout run out at once: batches of up to 10, what the
     * processor reports failed comes back; ElasticMQ moves a message to the DLQ when it is received after
     * its maxReceiveCount-th receive.
     */
    private void drain() {
        for (int round = 0; round < 500; round++) {
            List<Message> batch = stack.sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (batch.isEmpty()) {
                return;
            }
            batch.forEach(m -> deliveries.merge(m.messageId(), 1, Integer::sum));
            Set<String> failed = stack.deliver(batch).getBatchItemFailures().stream()
                    .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
            for (Message m : batch) {
                if (failed.contains(m.messageId())) {
                    stack.sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(0));
                } else {
                    stack.sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
            clock.advance(java.time.Duration.ofSeconds(31)); // the visibility timeout passed
        }
        throw new AssertionError("queue not drained");
    }

    private List<Message> dlqMessages() {
        List<Message> all = new ArrayList<>();
        for (List<Message> got; !(got = stack.sqs.receiveMessage(r -> r.queueUrl(stack.deadLetterQueueUrl())
                .maxNumberOfMessages(10).visibilityTimeout(0)).messages()).isEmpty() && all.size() < 100; ) {
            all.addAll(got);
        }
        return all.stream().collect(Collectors.toMap(Message::messageId, m -> m, (a, b) -> a)).values().stream().toList();
    }

    @Test
    void localQueueParksAMessageAfterTheCdkAppsMaxReceiveCount() {
        assertEquals(5, MAX_RECEIVE_COUNT, "docs/reliability.md and the README say 5");
        String policy = stack.sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("RedrivePolicy"))
                .attributesAsStrings().get("RedrivePolicy");
        assertTrue(policy.matches(".*\"maxReceiveCount\":\"?" + MAX_RECEIVE_COUNT + "\"?[,}].*"), policy);
    }

    @Test
    void poisonMessageGoesToTheDlqAfterMaxReceivesWithoutHoldingUpTheOthers() {
        String poison = "{\"v\":1,\"events\":\"garbage\"}";
        for (int i = 0; i < 12; i++) {
            post(upload(event("dlq-ok-" + i, 1, false), event("dlq-ok-" + i, 2, i % 3 == 0)));
            if (i == 3) {
                stack.sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(poison));
            }
        }

        drain();

        List<Message> parked = dlqMessages();
        assertEquals(List.of(poison), parked.stream().map(Message::body).toList());
        String poisonId = deliveries.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        assertEquals(MAX_RECEIVE_COUNT, deliveries.get(poisonId), "delivered maxReceiveCount times, then parked");
        assertEquals(12, deliveries.size() - 1);
        deliveries.forEach((id, n) -> {
            if (!id.equals(poisonId)) {
                assertEquals(1, n, "every other message was processed at its first delivery");
            }
        });
        for (int i = 0; i < 12; i++) {
            DeviceState s = devices.load("dlq-ok-" + i).state();
            assertEquals(2, s.totalSyncs());
            assertEquals(i % 3 == 0 ? 1 : 0, s.totalFailures());
            assertEquals(2, history.history("dlq-ok-" + i, 10).size());
        }
    }

    @Test
    void messageParkedByAPersistentFaultIsStoredOnceAfterTheFixAndARedrive() {
        String victim = "dlq-victim";
        // the cause: every history write of this device fails (a table unavailable for it, a bad deploy...)
        faults.failWhile("DynamoDb.BatchWriteItem", request -> ((BatchWriteItemRequest) request).requestItems().values()
                .stream().flatMap(List::stream).anyMatch(w -> w.putRequest() != null
                        && victim.equals(w.putRequest().item().get("device_id").s())));
        post(upload(event(victim, 1, true), event(victim, 2, true), event(victim, 3, true)));
        post(upload(event("dlq-bystander", 1, false)));
        drain();
        post(upload(event(victim, 4, false))); // the device recovers while its first upload is parked
        post(upload(event("dlq-bystander", 2, false)));
        drain();

        assertEquals(2, dlqMessages().size(), "both of the victim's messages are parked");
        DeviceRecord parked = devices.load(victim);
        assertEquals(4, parked.state().totalSyncs(), "state committed before the history write failed");
        assertEquals(4, parked.inflight().stream().filter(k -> k.startsWith("t") || k.startsWith("q")).count(),
                "their keys wait in the in-flight set");
        assertEquals(5, parked.inflight().size(), "and the first upload, to be stored as one entry, is named there");
        assertEquals(0, history.history(victim, 10).size());
        assertEquals(2, parked.outbox().size(), "the streak's alert and its end wait in the outbox");
        assertEquals(List.of(), stack.publishedAlerts(), "nothing published yet");
        assertEquals(2, devices.load("dlq-bystander").state().totalSyncs(), "other devices were not held up");

        faults.stopFailing("DynamoDb.BatchWriteItem"); // the cause is fixed
        List<String> progress = new ArrayList<>();
        DeadLetterRedrive redrive = new DeadLetterRedrive(stack.sqs, stack.deadLetterQueueUrl());
        DeadLetterRedrive.Result result = redrive.run(r -> progress.add(r.moved() + " moved"));
        assertEquals(new DeadLetterRedrive.Result(2, 0, 0), result);
        assertEquals("2 moved", progress.get(progress.size() - 1), "progress ends at the total: " + progress);
        drain();

        DeviceRecord after = devices.load(victim);
        DeviceState s = after.state();
        assertEquals(4, s.totalSyncs(), "not counted twice");
        assertEquals(3, s.totalFailures());
        assertEquals(0, s.consecutiveFailures());
        assertNull(s.openAlert());
        assertEquals(Set.of("dlq-victim-1", "dlq-victim-2", "dlq-victim-3", "dlq-victim-4"),
                history.history(victim, 10).stream().map(e -> e.event().eventId()).collect(Collectors.toSet()));
        assertTrue(after.outbox().isEmpty());
        List<JsonNode> alerts = stack.publishedAlerts();
        assertEquals(List.of("device.failure_streak", "device.recovered"),
                alerts.stream().map(a -> a.path("type").asText()).toList(), "the streak's alert, once, then its end");
        assertEquals(0, redrive.waiting());
        assertEquals(new DeadLetterRedrive.Result(0, 0, 0), redrive.run(null), "a second redrive has nothing to move");
    }
}
