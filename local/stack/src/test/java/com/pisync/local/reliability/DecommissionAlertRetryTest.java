package com.pisync.local.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.local.LocalPiSync;
import com.pisync.local.LocalServers;
import com.pisync.local.SettableClock;
import com.pisync.sweeper.OfflineSweepHandler;
import com.pisync.testbed.FaultInjector;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decommission resolves the device's open alert and publishes {@code device.recovered} from the outbox. When
 * that publish fails, the decommissioned device never syncs again, so no processor run will ever flush its
 * outbox: the scheduled sweeper must (it watches devices with unpublished transitions through a sparse index).
 */
class DecommissionAlertRetryTest {

    private final FaultInjector faults = new FaultInjector();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-01T09:00:00Z"));
    private final LocalPiSync stack = new LocalPiSync(LocalServers.of(TestBed.shared()), new LocalPiSync.Settings()
            .clock(clock).interceptors(faults));
    private final DeviceStore devices = new DeviceStore(stack.dynamo, stack.config.devicesTable());

    private List<String> publishedTypes() {
        return stack.publishedAlerts().stream().map(a -> a.path("type").asText()).toList();
    }

    private void failingStreak(String device) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 1; i <= 3; i++) {
            body.append(i == 1 ? "" : ",").append("{\"device_id\":\"").append(device).append("\",\"event_id\":\"e")
                    .append(i).append("\",\"timestamp\":\"2026-11-01T08:0").append(i)
                    .append(":00Z\",\"total_files_synced\":0,\"total_errors\":1,\"internet_speed\":1.0}");
        }
        assertEquals(202, stack.call("POST", "/v1/sync-events", body.append("]}").toString()).getStatusCode());
        assertEquals(List.of(), stack.deliver(stack.receive(10)).getBatchItemFailures());
    }

    private String sweep() {
        return new OfflineSweepHandler(stack.dynamo, stack.sns, stack.config, clock).handleRequest(null, null);
    }

    @Test
    void recoveredTransitionOfADecommissionWhosePublishFailedIsPublishedByTheNextSweep() {
        stack.json("POST", "/v1/devices", "{\"device_id\":\"dec-1\",\"name\":\"D\",\"type\":\"PiBook\","
                + "\"site\":\"school-d\"}", 201);
        failingStreak("dec-1");
        assertEquals(List.of("device.failure_streak"), publishedTypes());

        faults.failBeforeSending("Sns.Publish", 10); // more than the SDK's own retries
        assertEquals(204, stack.call("DELETE", "/v1/devices/dec-1", null).getStatusCode(), "the decommission stands");
        faults.clear();
        assertEquals(List.of(), publishedTypes());
        assertEquals(1, devices.load("dec-1").outbox().size(), "the transition waits in the outbox");

        clock.advance(Duration.ofMinutes(15)); // the next scheduled sweep
        String summary = sweep();
        assertEquals(List.of("device.recovered"), publishedTypes(), summary);
        JsonNode alerts = stack.json("GET", "/v1/alerts?device_id=dec-1", null, 200);
        assertEquals("resolved", alerts.get("items").get(0).get("state").asText());
        assertTrue(devices.load("dec-1").outbox().isEmpty());

        clock.advance(Duration.ofMinutes(15));
        sweep();
        assertEquals(List.of(), publishedTypes(), "published once");
    }

    @Test
    void sweepLeavesTheTransitionForLaterWhilePublishingStillFails() {
        stack.json("POST", "/v1/devices", "{\"device_id\":\"dec-2\",\"name\":\"D\",\"type\":\"PiBox\","
                + "\"site\":\"school-d\"}", 201);
        failingStreak("dec-2");
        stack.publishedAlerts();

        faults.failBeforeSending("Sns.Publish", 100);
        assertEquals(204, stack.call("DELETE", "/v1/devices/dec-2", null).getStatusCode());
        clock.advance(Duration.ofMinutes(15));
        sweep(); // SNS still down: nothing published, nothing lost
        assertEquals(1, devices.load("dec-2").outbox().size());
        faults.clear();

        clock.advance(Duration.ofMinutes(15));
        sweep();
        assertEquals(List.of("device.recovered"), publishedTypes());
        assertTrue(devices.load("dec-2").outbox().isEmpty());
    }
}
