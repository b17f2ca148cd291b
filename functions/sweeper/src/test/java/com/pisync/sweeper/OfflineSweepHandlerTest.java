package com.pisync.sweeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The handler fed the sample EventBridge scheduled event under events/sweeper, as Lambda delivers it. */
class OfflineSweepHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @Event(value = "events/sweeper/scheduled-event.json", type = ScheduledEvent.class)
    void sampleScheduledEventSweepsAsOfItsTime(ScheduledEvent event) throws Exception {
        assertEquals(Fleet.NOW, Instant.ofEpochMilli(event.getTime().getMillis()));
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0042", Duration.ofHours(25));
        fleet.healthy("pibook-0043", Duration.ofHours(2));
        fleet.failing("pibox-0007", Duration.ofDays(3));
        // A clock a year later would make every device offline: the event's time must be the one used.
        OfflineSweepHandler handler = new OfflineSweepHandler(fleet.dynamo, fleet.config,
                Clock.fixed(Fleet.NOW.plus(Duration.ofDays(365)), ZoneOffset.UTC));

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String response;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            response = handler.handleRequest(event, new FakeContext(300_000));
        } finally {
            System.setOut(stdout);
        }

        JsonNode summary = JSON.readTree(response);
        assertEquals(1, summary.get("checked").asInt());
        assertEquals(1, summary.get("marked_offline").asInt());
        assertTrue(summary.get("complete").asBoolean());
        assertEquals("2026-11-02T09:00:00Z", summary.get("cutoff_hour").asText());
        assertEquals("offline", fleet.status("pibook-0042"));
        assertEquals("healthy", fleet.status("pibook-0043"));
        assertEquals("failing", fleet.status("pibox-0007"));

        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(1, lines.length, "one log line: " + captured);
        JsonNode log = JSON.readTree(lines[0]);
        assertEquals("offline sweep", log.get("message").asText());
        assertEquals(1, log.get("marked_offline").asInt());
    }

    @Test
    void eventWithoutTimeUsesTheClock() throws Exception {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0044", Duration.ofHours(2));
        OfflineSweepHandler handler = new OfflineSweepHandler(fleet.dynamo, fleet.config,
                Clock.fixed(Fleet.NOW.plus(Duration.ofDays(2)), ZoneOffset.UTC));

        JsonNode summary = JSON.readTree(handler.handleRequest(new ScheduledEvent(), null));

        assertEquals(1, summary.get("marked_offline").asInt());
        assertEquals("offline", fleet.status("pibook-0044"));
    }

    @Test
    void littleTimeLeftStopsTheRunAndSaysSo() throws Exception {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0045", Duration.ofHours(30));
        OfflineSweepHandler handler = new OfflineSweepHandler(fleet.dynamo, fleet.config, Clock.fixed(Fleet.NOW, ZoneOffset.UTC));

        JsonNode summary = JSON.readTree(handler.handleRequest(new ScheduledEvent(), new FakeContext(8_000)));

        assertEquals(0, summary.get("checked").asInt());
        assertEquals(OfflineSweep.STOPPED_TIME_BUDGET, summary.get("stopped_by").asText());
        assertEquals("healthy", fleet.status("pibook-0045"));
    }

    /** Just enough of Lambda's context: the remaining time. */
    private record FakeContext(int remainingMillis) implements Context {
        @Override public String getAwsRequestId() { return "6f1c1a3e-0000-4000-8000-000000000001"; }
        @Override public String getLogGroupName() { return "/aws/lambda/pisync-sweeper"; }
        @Override public String getLogStreamName() { return "2026/11/02/[$LATEST]0000"; }
        @Override public String getFunctionName() { return "pisync-sweeper"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:pisync-sweeper"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return remainingMillis; }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
