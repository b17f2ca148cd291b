package com.pisync.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Device tokens on the ingest path: signature checked without a read, revocation from the inbox read. */
class DeviceTokenIngestTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T09:00:00Z"), ZoneOffset.UTC);
    private static final String EVENT = "{\"device_id\":\"%s\",\"timestamp\":\"2026-11-01T08:00:00Z\","
            + "\"total_files_synced\":1,\"total_errors\":0,\"internet_speed\":1}";

    private final RequestMeter meter = new RequestMeter();
    private final DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint(), meter);
    private final SqsClient sqs = LocalClients.sqs(TestBed.shared().sqs().endpoint(), meter);
    private final DeviceTokens tokens = new DeviceTokens("test-device-token-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private final SyncRequestStore inbox;
    private final IngestHandler handler;

    DeviceTokenIngestTest() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        PiSyncConfig config = PiSyncConfig.from(Map.of()).withResources("t" + id + "-", null, null);
        Tables.createIfMissing(dynamo, config, false); // fixed clock: no TTL
        inbox = new SyncRequestStore(dynamo, config.syncRequestsTable());
        String queueUrl = sqs.createQueue(r -> r.queueName("ingest-" + id)).queueUrl();
        handler = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.signed(tokens),
                SyncEventQueue.of(sqs, queueUrl), CommandInbox.of(inbox), CLOCK));
    }

    private int post(String token, String device) {
        APIGatewayV2HTTPEvent request = EventLoader.loadApiGatewayHttpEvent("events/ingest/post-sync-event.json");
        request.setBody(String.format(EVENT, device));
        if (token == null) {
            request.getHeaders().remove("authorization");
        } else {
            request.getHeaders().put("authorization", "Bearer " + token);
        }
        return handler.handleRequest(request, null).getStatusCode();
    }

    @Test
    void onlyTheCurrentTokenOfTheDeviceItselfMayPost() {
        inbox.putCredential("pibook-1", 1, false);
        String first = tokens.issue("pibook-1", 1);

        meter.reset();
        assertEquals(202, post(first, "pibook-1"));
        assertEquals(1, meter.requests("DynamoDb.Query"), "one read per upload: requests and credential together");
        assertEquals(0, meter.requests("DynamoDb.GetItem"));

        assertEquals(401, post(null, "pibook-1"), "no token");
        assertEquals(401, post("garbage", "pibook-1"), "not a token");
        assertEquals(401, post(first.substring(0, first.length() - 2) + "xx", "pibook-1"), "bad signature");
        assertEquals(401, post(new DeviceTokens("another-key-0123456789abcdefghijklmnop".getBytes(StandardCharsets.UTF_8))
                .issue("pibook-1", 1), "pibook-1"), "signed with another key");
        assertEquals(403, post(first, "pibook-2"), "device A posting for device B");
        assertEquals(401, post(tokens.issue("pibook-9", 1), "pibook-9"), "a device PiSync never registered");

        inbox.putCredential("pibook-1", 2, false); // rotated
        assertEquals(401, post(first, "pibook-1"), "the rotated-away token stops working");
        assertEquals(202, post(tokens.issue("pibook-1", 2), "pibook-1"));

        inbox.putCredential("pibook-1", 3, true); // decommissioned
        assertEquals(401, post(tokens.issue("pibook-1", 2), "pibook-1"));
        assertEquals(401, post(tokens.issue("pibook-1", 3), "pibook-1"), "no token of a decommissioned device works");
    }
}
