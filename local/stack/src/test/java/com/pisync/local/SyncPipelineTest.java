package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.DeviceState;
import com.pisync.domain.Outcome;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Ingest → SQS → processor → DynamoDB and SNS, on the DynamoDB engine, ElasticMQ and fauxqs. */
class SyncPipelineTest {

    private final Pipeline pipeline = new Pipeline();

    /** One event as a device would send it; minute offsets from 08:00 UTC on 1 Nov 2026. */
    static String event(String device, int minute, boolean failed, Long seq, String eventId) {
        StringBuilder json = new StringBuilder("{\"device_id\":\"").append(device).append('"');
        if (eventId != null) {
            json.append(",\"event_id\":\"").append(eventId).append('"');
        }
        if (seq != null) {
            json.append(",\"seq\":").append(seq);
        }
        json.append(",\"timestamp\":\"").append(Instant.parse("2026-11-01T08:00:00Z").plusSeconds(60L * minute))
                .append("\",\"total_files_synced\":").append(failed ? 0 : 5)
                .append(",\"total_errors\":").append(failed ? 2 : 0)
                .append(",\"internet_speed\":2.5,\"pending_files\":").append(minute);
        if (failed) {
            json.append(",\"error_code\":\"NET_TIMEOUT\",\"error_message\":\"timeout at minute ").append(minute).append('"');
        }
        return json.append('}').toString();
    }

    static String event(String device, int minute, boolean failed) {
        return event(device, minute, failed, null, null);
    }

    static String batch(List<String> events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private void postAndDrain(String body) {
        assertEquals(202, pipeline.post(body).getStatusCode());
        assertEquals(0, pipeline.drain());
    }

    @Test
    void singleUploadIsStoredOnceAndUpdatesTheDevice() {
        postAndDrain(event("pibook-1", 3, false));

        DeviceState s = pipeline.device("pibook-1").state();
        assertEquals(1, s.totalSyncs());
        assertEquals(0, s.totalFailures());
        assertEquals(Outcome.SUCCESS, s.lastStatus());
        assertEquals(Instant.parse("2026-11-01T08:03:00Z"), s.lastAttemptAt());
        assertEquals(Instant.parse("2026-11-01T08:03:00Z"), s.lastSyncAt());
        assertEquals(3L, s.pendingFiles());
        assertEquals(Instant.ofEpochMilli(1793520181000L), s.lastSeenAt(), "server time of the upload");
        List<ReceivedSyncEvent> history = pipeline.history("pibook-1");
        assertEquals(1, history.size());
        assertEquals(Instant.ofEpochMilli(1793520181000L), history.get(0).receivedAt());
        assertEquals("healthy", pipeline.deviceItem("pibook-1").get("status").s());
        assertTrue(pipeline.device("pibook-1").inflight().size() <= 1, "only the newest may wait for confirmation");
    }

    @Test
    void batchUploadIsStoredInDeviceOrderWithOneAlertOpenedAndResolved() {
        postAndDrain(batch(List.of(
                event("pibox-7", 10, false, 1L, null), event("pibox-7", 9, true, 2L, null),
                event("pibox-7", 8, true, 3L, null), event("pibox-7", 7, true, 4L, null),
                event("pibox-7", 6, false, 5L, null))));

        List<ReceivedSyncEvent> history = pipeline.history("pibox-7");
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), history.stream().map(e -> e.event().seq()).toList(),
                "newest first by seq, although timestamps run backwards");
        DeviceState s = pipeline.device("pibox-7").state();
        assertEquals(0, s.consecutiveFailures());
        assertEquals(3, s.totalFailures());
        assertEquals(Instant.parse("2026-11-01T08:06:00Z"), s.lastAttemptAt(), "seq 5 is the newest attempt");
        List<JsonNode> alerts = pipeline.publishedAlerts();
        assertEquals(List.of("device.failure_streak", "device.recovered"),
                alerts.stream().map(a -> a.get("type").asText()).toList());
        assertEquals(alerts.get(0).get("alert_id"), alerts.get(1).get("alert_id"));
    }

    @Test
    void sameMessageDeliveredTwiceIsStoredAndCountedOnce() {
        pipeline.post(batch(List.of(event("pibook-2", 1, true), event("pibook-2", 2, false))));
        List<Message> messages = pipeline.receive(10);
        assertEquals(0, pipeline.deliver(messages).getBatchItemFailures().size());
        assertEquals(0, pipeline.deliver(messages).getBatchItemFailures().size(), "redelivery");
        assertEquals(0, pipeline.deliver(List.of(messages.get(0), messages.get(0))).getBatchItemFailures().size(),
                "the same message twice in one batch");

        DeviceState s = pipeline.device("pibook-2").state();
        assertEquals(2, s.totalSyncs());
        assertEquals(1, s.totalFailures());
        assertEquals(2, pipeline.history("pibook-2").size());
    }

    @Test
    void sameEventInTwoUploadsIsStoredOnce() {
        String withId = event("pibook-3", 1, false, null, "evt-0001");
        postAndDrain(withId);
        postAndDrain(batch(List.of(withId, event("pibook-3", 2, false, null, "evt-0002"))));

        assertEquals(2, pipeline.device("pibook-3").state().totalSyncs());
        assertEquals(java.util.Set.of("evt-0001", "evt-0002"), pipeline.historyIds("pibook-3"));
    }

    @Test
    void retryWithoutEventIdIsADuplicateEvenWithAnotherOffset() {
        String utc = event("pibook-4", 5, true);
        String india = utc.replace("2026-11-01T08:05:00Z", "2026-11-01T13:35:00+05:30");
        assertEquals(pipeline.post(utc).getBody(), pipeline.post(india).getBody(), "same derived event id");
        assertEquals(0, pipeline.drain());

        assertEquals(1, pipeline.device("pibook-4").state().totalSyncs());
        assertEquals(1, pipeline.history("pibook-4").size());
    }

    @Test
    void anyDeliveryOrderGivesTheStateOfDeviceOrder() {
        Random random = new Random(7);
        for (boolean withSeq : new boolean[] {false, true}) {
            List<String> events = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                // with seq, timestamps are scrambled: seq alone must order the events
                int minute = withSeq ? random.nextInt(500) : i;
                events.add(event("ordered-" + withSeq, minute, random.nextInt(3) != 0, withSeq ? (long) i : null, null));
            }
            Pipeline inOrder = new Pipeline();
            events.forEach(e -> inOrder.post(e));
            inOrder.drain(1, 100);

            List<String> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            for (int i = 0; i < shuffled.size(); ) {
                int n = 1 + random.nextInt(4);
                pipeline.post(batch(shuffled.subList(i, Math.min(i + n, shuffled.size()))));
                i += n;
            }
            List<Message> messages = pipeline.receive(100);
            Collections.shuffle(messages, random);
            for (int i = 0; i < messages.size(); i += 3) {
                pipeline.deliver(messages.subList(i, Math.min(i + 3, messages.size())));
            }

            DeviceState expected = inOrder.device("ordered-" + withSeq).state();
            DeviceState actual = pipeline.device("ordered-" + withSeq).state();
            assertEquals(withoutAlert(expected), withoutAlert(actual), "seq=" + withSeq);
            assertEquals(expected.openAlert() == null, actual.openAlert() == null);
            assertEquals(30, pipeline.history("ordered-" + withSeq).size());
        }
    }

    private static DeviceState withoutAlert(DeviceState s) {
        return new DeviceState(s.deviceId(), s.lastKey(), s.lastAttemptAt(), s.lastStatus(), s.lastSuccessKey(),
                s.lastSyncAt(), s.lastFailureKey(), s.lastFailureAt(), s.lastError(), s.lastErrorCode(), s.streak(),
                s.totalSyncs(), s.totalFailures(), s.pendingFiles(), s.lastSeenAt(), null);
    }

    @Test
    void poisonMessageIsTheOnlyFailureOfItsBatch() {
        pipeline.post(event("pibook-5", 1, false));
        pipeline.sqs.sendMessage(r -> r.queueUrl(pipeline.queueUrl).messageBody("{\"v\":1,\"events\":\"garbage\"}"));
        pipeline.post(event("pibook-6", 1, false));
        List<Message> messages = pipeline.receive(10);
        assertEquals(3, messages.size());

        SQSBatchResponse response = pipeline.deliver(messages);

        String poisonId = messages.stream().filter(m -> m.body().contains("garbage")).findFirst().orElseThrow()
                .messageId();
        assertEquals(List.of(poisonId), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(1, pipeline.device("pibook-5").state().totalSyncs());
        assertEquals(1, pipeline.device("pibook-6").state().totalSyncs());
    }

    @Test
    void failureStreakRaisesOneAlertUntilRecoveryThenASecondForTheNextStreak() {
        for (int minute = 1; minute <= 3; minute++) {
            postAndDrain(event("pibox-8", minute, true));
        }
        List<JsonNode> opened = pipeline.publishedAlerts();
        assertEquals(1, opened.size());
        JsonNode alert = opened.get(0);
        assertEquals("device.failure_streak", alert.get("type").asText());
        assertEquals("pibox-8", alert.get("device_id").asText());
        assertEquals(3, alert.get("consecutive_failures").asInt());
        assertEquals("2026-11-01T08:01:00Z", alert.get("streak_started_at").asText());
        assertEquals("timeout at minute 3", alert.get("last_error").asText());
        JsonNode attributes = alert.get("_attributes");
        assertEquals("device.failure_streak", attributes.get("type").get("Value").asText());
        assertEquals("pibox-8", attributes.get("device_id").get("Value").asText());
        assertEquals("unassigned", attributes.get("site").get("Value").asText());
        AlertStore alerts = new AlertStore(pipeline.dynamo, pipeline.config.alertsTable());
        Alert stored = alerts.get(alert.get("alert_id").asText());
        assertEquals(AlertState.OPEN, stored.state());
        assertEquals("failing", pipeline.deviceItem("pibox-8").get("status").s());

        postAndDrain(event("pibox-8", 4, true));
        postAndDrain(event("pibox-8", 5, true));
        assertEquals(List.of(), pipeline.publishedAlerts(), "a continuing streak raises no second alert");
        assertEquals(5, pipeline.device("pibox-8").state().consecutiveFailures());

        postAndDrain(event("pibox-8", 6, false));
        List<JsonNode> recovered = pipeline.publishedAlerts();
        assertEquals(1, recovered.size());
        assertEquals("device.recovered", recovered.get(0).get("type").asText());
        assertEquals(alert.get("alert_id"), recovered.get(0).get("alert_id"));
        assertEquals(AlertState.RESOLVED, alerts.get(alert.get("alert_id").asText()).state());
        assertNull(pipeline.device("pibox-8").state().openAlert());
        assertEquals("healthy", pipeline.deviceItem("pibox-8").get("status").s());

        for (int minute = 7; minute <= 9; minute++) {
            postAndDrain(event("pibox-8", minute, true));
        }
        List<JsonNode> second = pipeline.publishedAlerts();
        assertEquals(1, second.size());
        assertNotEquals(alert.get("alert_id"), second.get(0).get("alert_id"));
    }

    @Test
    void lateSuccessInsideAStreakShortensItAndResolvesTheAlert() {
        for (int minute : new int[] {1, 2, 4, 5}) {
            postAndDrain(event("pibox-9", minute, true));
        }
        assertEquals(1, pipeline.publishedAlerts().size());

        postAndDrain(event("pibox-9", 3, false)); // arrives late: the device order is F F S F F

        DeviceState s = pipeline.device("pibox-9").state();
        assertEquals(2, s.consecutiveFailures());
        assertEquals(Instant.parse("2026-11-01T08:04:00Z"), s.streakStartedAt());
        assertEquals(Instant.parse("2026-11-01T08:05:00Z"), s.lastAttemptAt());
        assertEquals(List.of("device.recovered"), pipeline.publishedAlerts().stream().map(a -> a.get("type").asText()).toList());
    }

    @Test
    void failedSnsPublishIsRetriedAndTheAlertPublishedOnce() {
        pipeline.faults.failBeforeSending("Sns.Publish", 10); // more than the SDK's own retries
        pipeline.post(batch(List.of(event("pibox-10", 1, true), event("pibox-10", 2, true), event("pibox-10", 3, true))));
        List<Message> messages = pipeline.receive(10);
        assertEquals(1, pipeline.deliver(messages).getBatchItemFailures().size(), "reported failed for a retry");
        assertEquals(List.of(), pipeline.publishedAlerts());
        DeviceRecord pending = pipeline.device("pibox-10");
        assertEquals(1, pending.outbox().size(), "the alert waits in the outbox");
        assertNotNull(pending.state().openAlert());

        pipeline.faults.clear();
        assertEquals(0, pipeline.deliver(messages).getBatchItemFailures().size());
        assertEquals(0, pipeline.deliver(messages).getBatchItemFailures().size());

        List<JsonNode> published = pipeline.publishedAlerts();
        assertEquals(1, published.size());
        assertEquals("device.failure_streak", published.get(0).get("type").asText());
        assertTrue(pipeline.device("pibox-10").outbox().isEmpty());
        assertEquals(3, pipeline.device("pibox-10").state().totalSyncs());
    }

    @Test
    void crashBetweenStateCommitAndHistoryWriteIsRepairedOnRedelivery() {
        pipeline.faults.failBeforeSending("DynamoDb.BatchWriteItem", 10);
        pipeline.post(batch(List.of(event("pibook-11", 1, false), event("pibook-11", 2, true))));
        List<Message> messages = pipeline.receive(10);
        assertEquals(1, pipeline.deliver(messages).getBatchItemFailures().size(), pipeline.meter.requests().toString());
        assertEquals(2, pipeline.device("pibook-11").state().totalSyncs(), "state committed");
        assertEquals(0, pipeline.history("pibook-11").size(), "history not written");

        pipeline.faults.clear();
        assertEquals(0, pipeline.deliver(messages).getBatchItemFailures().size());

        assertEquals(2, pipeline.device("pibook-11").state().totalSyncs(), "not counted twice");
        assertEquals(2, pipeline.history("pibook-11").size());
    }

    @Test
    void historyWrittenButReportedFailedIsNotCountedTwice() {
        pipeline.faults.failAfterServerDidIt("DynamoDb.BatchWriteItem", 1);
        pipeline.post(event("pibook-12", 1, true));
        pipeline.post(event("pibook-12", 2, true));
        assertTrue(pipeline.drain() >= 1);

        DeviceState s = pipeline.device("pibook-12").state();
        assertEquals(2, s.totalSyncs());
        assertEquals(2, s.consecutiveFailures());
        assertEquals(2, pipeline.history("pibook-12").size());
        postAndDrain(event("pibook-12", 3, false));
        assertTrue(pipeline.device("pibook-12").inflight().size() <= 1, "confirmed keys leave the in-flight set");
    }

    @Test
    void concurrentDeliveryOfTheSameDeviceCountsEveryEventOnce() throws Exception {
        for (int i = 1; i <= 40; i++) {
            pipeline.post(event("pibox-busy", i, i % 4 == 0));
        }
        List<Message> messages = pipeline.receive(40);
        assertEquals(40, messages.size());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<SQSBatchResponse>> runs = new ArrayList<>();
        for (int i = 0; i < 40; i += 5) {
            List<Message> slice = messages.subList(i, i + 5);
            runs.add(pool.submit(() -> pipeline.deliver(slice)));
            runs.add(pool.submit(() -> pipeline.deliver(slice))); // SQS may hand the same message to two consumers
        }
        for (var run : runs) {
            run.get();
        }
        pool.shutdown();
        pipeline.drain(); // nothing was deleted: every message comes round once more

        DeviceState s = pipeline.device("pibox-busy").state();
        assertEquals(40, s.totalSyncs());
        assertEquals(10, s.totalFailures());
        assertEquals(40, pipeline.history("pibox-busy").size());
    }
}
