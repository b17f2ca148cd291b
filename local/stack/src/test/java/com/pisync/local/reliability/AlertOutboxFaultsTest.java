package com.pisync.local.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.local.LocalPiSync;
import com.pisync.local.LocalServers;
import com.pisync.local.SettableClock;
import com.pisync.testbed.FaultInjector;
import com.pisync.testbed.FaultInjector.Fault;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reproducers of what the fault-injection tests found in the alert outbox: a claim whose answer was lost
 * (the SDK resent it, DynamoDB refused the resend because the claim was already there — ours) was taken
 * for another publisher's, skipped, and the message reported done: the alert was never published. Since the
 * processor's commit claims its own entries, a claim is sent only for entries someone else left: here, a
 * committer that died before publishing.
 */
class AlertOutboxFaultsTest {

    private final FaultInjector faults = new FaultInjector();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-01T09:00:00Z"));
    private final LocalPiSync stack = new LocalPiSync(LocalServers.of(TestBed.shared()), new LocalPiSync.Settings()
            .clock(clock).interceptors(faults));
    private final DeviceStore devices = new DeviceStore(stack.dynamo, stack.config.devicesTable());

    private static boolean isClaim(software.amazon.awssdk.core.SdkRequest r) {
        return r instanceof UpdateItemRequest u && u.updateExpression().startsWith("SET #e.#claim");
    }

    private List<Message> postStreak(String device) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 1; i <= 3; i++) {
            body.append(i == 1 ? "" : ",").append("{\"device_id\":\"").append(device).append("\",\"event_id\":\"e")
                    .append(i).append("\",\"timestamp\":\"2026-11-01T08:0").append(i)
                    .append(":00Z\",\"total_files_synced\":0,\"total_errors\":1,\"internet_speed\":1.0}");
        }
        assertEquals(202, stack.call("POST", "/v1/sync-events", body.append("]}").toString()).getStatusCode());
        return stack.receive(10);
    }

    private List<String> failures(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /**
     * The committer dies holding its lease: its commit wrote the transition already claimed (the processor's
     * commit claims its own entries), and the process died at the alert item's put, before publishing.
     */
    private List<Message> streakWhoseCommitterDied(String device) {
        List<Message> messages = postStreak(device);
        faults.crashAfterCalls("DynamoDb.PutItem", 0, false); // the alert item: the first put after the commit
        stack.deliver(messages);
        assertTrue(faults.crashed());
        faults.recover();
        assertEquals(1, devices.load(device).outbox().size());
        assertEquals(List.of(), stack.publishedAlerts());
        return messages;
    }

    @Test
    void claimResentByTheSdkAfterALostAnswerIsStillOurs() {
        List<Message> messages = streakWhoseCommitterDied("outbox-1");
        clock.advance(Duration.ofSeconds(61)); // the dead committer's lease is over; SQS redelivers
        faults.randomly("DynamoDb.UpdateItem", AlertOutboxFaultsTest::isClaim, 1.0, Fault.ATTEMPT_TIMEOUT_AFTER_SERVER_DID_IT);

        assertEquals(List.of(), failures(stack.deliver(messages)));
        assertEquals(1L, faults.injected(Fault.ATTEMPT_TIMEOUT_AFTER_SERVER_DID_IT));

        assertEquals(List.of("device.failure_streak"), stack.publishedAlerts().stream().map(a -> a.path("type").asText()).toList());
        assertTrue(devices.load("outbox-1").outbox().isEmpty());
    }

    @Test
    void claimThatTimedOutIsRetriedAndTheAlertPublishedOnce() {
        List<Message> messages = streakWhoseCommitterDied("outbox-2");
        clock.advance(Duration.ofSeconds(61));
        faults.randomly("DynamoDb.UpdateItem", AlertOutboxFaultsTest::isClaim, 1.0, Fault.TIMEOUT_AFTER_SERVER_DID_IT);
        assertEquals(1, failures(stack.deliver(messages)).size(), "the message is retried");
        faults.clear();

        clock.advance(Duration.ofSeconds(31)); // SQS redelivers after the visibility timeout
        assertEquals(List.of(), failures(stack.deliver(messages)));
        assertEquals(List.of(), failures(stack.deliver(messages)), "and once more: nothing left to do");

        assertEquals(List.of("device.failure_streak"), stack.publishedAlerts().stream().map(a -> a.path("type").asText()).toList());
        assertTrue(devices.load("outbox-2").outbox().isEmpty());
    }

    @Test
    void entryHeldByAnotherPublisherFailsTheMessageInsteadOfDroppingTheAlert() {
        List<Message> messages = streakWhoseCommitterDied("outbox-3");

        clock.advance(Duration.ofSeconds(31)); // within the dead committer's 60 s lease
        assertEquals(1, failures(stack.deliver(messages)).size(), "not reported done while the alert is unpublished");
        assertEquals(List.of(), stack.publishedAlerts());

        clock.advance(Duration.ofSeconds(31)); // the lease is over
        assertEquals(List.of(), failures(stack.deliver(messages)));
        assertEquals(List.of("device.failure_streak"), stack.publishedAlerts().stream().map(a -> a.path("type").asText()).toList());
    }

    @Test
    void theCommitterPublishesItsOwnEntriesWithoutAClaim() {
        faults.randomly("DynamoDb.UpdateItem", AlertOutboxFaultsTest::isClaim, 1.0, Fault.TIMEOUT_AFTER_SERVER_DID_IT);
        List<Message> messages = postStreak("outbox-4");

        assertEquals(List.of(), failures(stack.deliver(messages)));
        assertEquals(0L, faults.injected(Fault.TIMEOUT_AFTER_SERVER_DID_IT), "no claim was sent");
        assertEquals(List.of("device.failure_streak"), stack.publishedAlerts().stream().map(a -> a.path("type").asText()).toList());
        assertTrue(devices.load("outbox-4").outbox().isEmpty());
    }
}
