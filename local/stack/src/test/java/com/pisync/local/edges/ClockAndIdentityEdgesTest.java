package com.pisync.local.edges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.dynamodb.SyncEventItems;
import com.pisync.local.LocalPiSync;
import com.pisync.local.SettableClock;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Device clocks, time zones, sequence numbers and device ids at their edges, end to end: device
 * uploads with real tokens through ingest, ElasticMQ and the processor into the DynamoDB engine, read
 * back through the dashboard API. The defined behaviour is docs/reliability.md "Clock and identity
 * edge cases"; the domain rules are unit-tested in functions/domain (ClockAndIdentityEdgesTest).
 */
class ClockAndIdentityEdgesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");

    private final SettableClock clock = new SettableClock(NOW);
    private final RequestMeter meter = new RequestMeter();
    private final LocalPiSync stack = new LocalPiSync(TestBed.shared(), clock, 3, true, meter);

    private String register(String id) {
        return stack.json("POST", "/v1/devices", "{\"device_id\":" + JSON.valueToTree(id) + ",\"name\":\"" + "Tablet"
                + "\",\"type\":\"PiBook\",\"site\":\"edge-school\"}", 201).get("device_token").asText();
    }

    private APIGatewayV2HTTPResponse post(String token, String body) {
        return stack.call("POST", "/v1/sync-events", body, Map.of("Authorization", "Bearer " + token), null);
    }

    private static String event(String deviceId, String timestamp, Long seq, int errors, String extra) {
        return "{\"device_id\":" + JSON.valueToTree(deviceId) + ",\"timestamp\":\"" + timestamp + "\""
                + (seq == null ? "" : ",\"seq\":" + seq) + ",\"total_files_synced\":4,\"total_errors\":" + errors
                + ",\"internet_speed\":3.5" + extra + "}";
    }

    private JsonNode accept(String token, String body) throws Exception {
        APIGatewayV2HTTPResponse r = post(token, body);
        assertEquals(202, r.getStatusCode(), r.getBody());
        return JSON.readTree(r.getBody());
    }

    private JsonNode device(String id) {
        return stack.json("GET", "/v1/devices/" + LocalPiSync.encode(id), null, 200);
    }

    private List<JsonNode> history(String id) {
        List<JsonNode> items = new ArrayList<>();
        stack.json("GET", "/v1/devices/" + LocalPiSync.encode(id) + "/sync-events?limit=100", null, 200).get("items")
                .forEach(items::add);
        return items;
    }

    private static JsonNode problem(APIGatewayV2HTTPResponse r, int status, String field) throws Exception {
        assertEquals(status, r.getStatusCode(), r.getBody());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        JsonNode body = JSON.readTree(r.getBody());
        if (field != null) {
            assertTrue(body.get("errors").findValuesAsText("field").contains(field), r.getBody());
        }
        assertFalse(r.getBody().contains("Exception"), r.getBody());
        return body;
    }

    private long queued() {
        return meter.requests("Sqs.SendMessageBatch");
    }

    // ---- device clocks -------------------------------------------------------------------------

    @Test
    void aDeviceClockIn1970IsStoredButNeverRewindsTheDeviceOrItsOfflineStatusOrRetention() throws Exception {
        String token = register("pibook-1970");
        accept(token, event("pibook-1970", "2026-11-01T08:00:00Z", null, 0, ""));
        // The RTC battery died: the clock restarts at the epoch.
        String epochId = accept(token, event("pibook-1970", "1970-01-01T00:00:05Z", null, 1, ""))
                .get("accepted").get(0).asText();
        stack.drain();

        JsonNode d = device("pibook-1970");
        assertEquals(2, d.get("total_syncs").asInt());
        assertEquals(1, d.get("total_failures").asInt());
        assertEquals("2026-11-01T08:00:00Z", d.get("last_attempt_at").asText()); // device order: by timestamp
        assertEquals("success", d.get("last_status").asText());
        assertEquals("healthy", d.get("status").asText()); // last_seen_at is the server's clock
        List<JsonNode> h = history("pibook-1970");
        assertEquals(List.of("2026-11-01T08:00:00Z", "1970-01-01T00:00:05Z"),
                h.stream().map(e -> e.get("timestamp").asText()).toList());
        // Retention counts from receipt, not from the 1970 timestamp: kept 400 days like any event.
        var items = stack.dynamo.query(r -> r.tableName(stack.config.syncEventsTable())
                .keyConditionExpression("device_id = :d")
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS("pibook-1970")))).items();
        var epochItem = items.stream().filter(i -> i.get(SyncEventItems.EVENT_ID).s().equals(epochId)).findFirst()
                .orElseThrow();
        assertEquals(NOW.plus(Duration.ofDays(400)).getEpochSecond(),
                Long.parseLong(epochItem.get(SyncEventItems.EXPIRES_AT).n()), 60);

        clock.advance(Duration.ofHours(25));
        assertEquals("offline", device("pibook-1970").get("status").asText()); // silent for 25 h by the server clock
    }

    @Test
    void aClockMoreThan24HoursAheadIsRefusedNamingTimestampAndNothingIsQueued() throws Exception {
        String token = register("pibook-ahead");
        meter.reset();
        problem(post(token, event("pibook-ahead", "2026-11-02T09:00:01Z", null, 0, "")), 400, "timestamp");
        problem(post(token, event("pibook-ahead", "2036-11-01T08:00:00Z", null, 0, "")), 400, "timestamp");
        assertEquals(0, queued());
        // Exactly 24 h ahead is accepted (a device clock a day fast, or a time zone mistaken for UTC).
        accept(token, event("pibook-ahead", "2026-11-02T09:00:00Z", null, 0, ""));
        stack.drain();
        assertEquals("2026-11-02T09:00:00Z", device("pibook-ahead").get("last_attempt_at").asText());
    }

    // ---- time zones ----------------------------------------------------------------------------

    @Test
    void theSameInstantWrittenWithAnyOffsetIsOneStoredEvent() throws Exception {
        String token = register("pibook-tz");
        List<String> ids = new ArrayList<>();
        for (String t : List.of("2026-11-01T08:03:00Z", "2026-11-01T13:33:00+05:30", "2026-10-31T20:03:00-12:00",
                "2026-11-01T08:03:00.000Z", "2026-11-01t08:03:00z", "2026-11-01T08:03:00-00:00")) {
            ids.add(accept(token, event("pibook-tz", t, null, 0, "")).get("accepted").get(0).asText());
        }
        assertEquals(1, ids.stream().distinct().count(), ids.toString());
        // A leap second, in UTC or with an offset, is one event at 23:59:59 UTC.
        String leapUtc = accept(token, event("pibook-tz", "2016-12-31T23:59:60Z", null, 0, "")).get("accepted").get(0).asText();
        String leapIst = accept(token, event("pibook-tz", "2017-01-01T05:29:60+05:30", null, 0, "")).get("accepted").get(0).asText();
        assertEquals(leapUtc, leapIst);
        stack.drain();
        assertEquals(2, device("pibook-tz").get("total_syncs").asInt());
        assertEquals(List.of("2026-11-01T08:03:00Z", "2016-12-31T23:59:59Z"),
                history("pibook-tz").stream().map(e -> e.get("timestamp").asText()).toList());

        meter.reset();
        for (String bad : List.of("2026-11-01T08:03:00", "2026-11-01T08:03:60Z", "2026-11-01T08:03:00+0530")) {
            problem(post(token, event("pibook-tz", bad, null, 0, "")), 400, "timestamp");
        }
        assertEquals(0, queued());
    }

    // ---- seq -----------------------------------------------------------------------------------

    @Test
    void aDuplicateSeqWithDifferentContentKeepsBothEventsOrderedByEventId() throws Exception {
        String token = register("pibook-dupseq");
        accept(token, event("pibook-dupseq", "2026-11-01T08:00:00Z", 7L, 0, ",\"event_id\":\"evt-a\""));
        accept(token, event("pibook-dupseq", "2026-11-01T08:05:00Z", 7L, 2, ",\"event_id\":\"evt-b\""));
        stack.drain();
        JsonNode d = device("pibook-dupseq");
        assertEquals(2, d.get("total_syncs").asInt());
        assertEquals("failed", d.get("last_status").asText()); // evt-b sorts after evt-a at seq 7
        assertEquals(List.of("evt-b", "evt-a"), history("pibook-dupseq").stream().map(e -> e.get("event_id").asText()).toList());
        // The same event_id at the same seq with other content is a retry: stored once, the first kept.
        accept(token, event("pibook-dupseq", "2026-11-01T08:09:00Z", 7L, 0, ",\"event_id\":\"evt-a\""));
        stack.drain();
        assertEquals(2, device("pibook-dupseq").get("total_syncs").asInt());
        assertEquals("2026-11-01T08:00:00Z", history("pibook-dupseq").get(1).get("timestamp").asText());
        // Contract v1.1: an event_id reused in a later upload at another position is another sync attempt,
        // and both are kept (the processor deduplicates by device order key = position + event_id).
        accept(token, event("pibook-dupseq", "2026-11-01T08:09:00Z", 8L, 0, ",\"event_id\":\"evt-a\""));
        stack.drain();
        assertEquals(3, device("pibook-dupseq").get("total_syncs").asInt());
    }

    @Test
    void aSeqResetAfterAFactoryResetLosesNoEventAndNeverRewindsTheDevice() throws Exception {
        String token = register("pibook-reset");
        accept(token, "{\"events\":[" + event("pibook-reset", "2026-11-01T08:00:00Z", 500L, 0, "") + ","
                + event("pibook-reset", "2026-11-01T08:01:00Z", 501L, 1, "") + ","
                + event("pibook-reset", "2026-11-01T08:02:00Z", 502L, 1, "") + "]}");
        stack.drain();
        clock.advance(Duration.ofHours(30)); // the device was away, then reset
        accept(token, "{\"events\":[" + event("pibook-reset", "2026-11-02T14:00:00Z", 0L, 0, "") + ","
                + event("pibook-reset", "2026-11-02T14:01:00Z", 1L, 1, "") + "]}");
        stack.drain();

        JsonNode d = device("pibook-reset");
        assertEquals(5, d.get("total_syncs").asInt()); // no event lost
        assertEquals(3, d.get("total_failures").asInt());
        assertEquals("2026-11-01T08:02:00Z", d.get("last_attempt_at").asText()); // not rewound to seq 1
        assertEquals(2, d.get("consecutive_failures").asInt()); // the streak after seq 500, untouched
        assertEquals("healthy", d.get("status").asText()); // seen now by the server clock, not offline
        assertEquals(5, history("pibook-reset").size());

        // Once the counter passes its old maximum, the device advances again.
        accept(token, event("pibook-reset", "2026-11-02T15:00:00Z", 503L, 0, ""));
        stack.drain();
        d = device("pibook-reset");
        assertEquals("2026-11-02T15:00:00Z", d.get("last_attempt_at").asText());
        assertEquals(0, d.get("consecutive_failures").asInt());
    }

    // ---- device ids ----------------------------------------------------------------------------

    @Test
    void deviceIdsAreCaseSensitive() throws Exception {
        String lower = register("pibook-case");
        meter.reset();
        JsonNode p = problem(post(lower, event("PIBOOK-CASE", "2026-11-01T08:00:00Z", null, 0, "")), 403, "device_id");
        assertTrue(p.get("detail").asText().contains("pibook-case"));
        assertEquals(0, queued());
        problem(stack.call("GET", "/v1/devices/PIBOOK-CASE", null), 404, null);
        // A device whose id differs only in case is another device, with its own token.
        String upper = register("PIBOOK-CASE");
        accept(upper, event("PIBOOK-CASE", "2026-11-01T08:00:00Z", null, 1, ""));
        stack.drain();
        assertEquals(1, device("PIBOOK-CASE").get("total_failures").asInt());
        assertEquals("never_synced", device("pibook-case").get("status").asText());
    }

    @Test
    void lookAlikeDeviceIdsAreRefusedWith400NamingDeviceIdEverywhere() throws Exception {
        String token = register("pibook-look");
        meter.reset();
        for (String lookAlike : List.of("pib\u043eok-look", "pibook-l\u043eok", "pibook-look\u200b", "\uff50ibook-look",
                "pibook-look ", "pibook-look\u0301")) {
            JsonNode p = problem(post(token, event(lookAlike, "2026-11-01T08:00:00Z", null, 0, "")), 400,
                    "device_id");
            assertTrue(p.toString().contains("U+"), p.toString()); // names the offending character
            problem(stack.call("GET", "/v1/devices/" + LocalPiSync.encode(lookAlike), null), 400, "device_id");
            problem(stack.call("GET", "/v1/devices/" + LocalPiSync.encode(lookAlike) + "/sync-events", null), 400,
                    "device_id");
            problem(stack.call("POST", "/v1/devices", "{\"device_id\":" + JSON.valueToTree(lookAlike)
                    + ",\"name\":\"x\",\"type\":\"PiBook\",\"site\":\"s\"}"), 400, "device_id");
        }
        assertEquals(0, queued());
        assertEquals(0, meter.requests("DynamoDb.PutItem") + meter.requests("DynamoDb.UpdateItem")
                + meter.requests("DynamoDb.TransactWriteItems"));

        // In a batch, only the look-alike event is refused; the device's own events are accepted.
        JsonNode r = accept(token, "{\"events\":[" + event("pibook-look", "2026-11-01T08:00:00Z", null, 0, "") + ","
                + event("pib\u043eok-look", "2026-11-01T08:01:00Z", null, 0, "") + "]}");
        assertEquals(1, r.get("accepted").size());
        assertEquals(1, r.get("rejected").get(0).get("index").asInt());
        assertEquals("events[1].device_id", r.get("rejected").get(0).get("errors").get(0).get("field").asText());
        assertNotEquals(0, queued());
    }
}
