package com.pisync.bench.hotpath;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.SyncRequestItems;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.ingest.CommandInbox;
import com.pisync.ingest.DeviceAuthenticator;
import com.pisync.ingest.IngestHandler;
import com.pisync.ingest.SyncEventIngest;
import com.pisync.ingest.SyncEventQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The ingest function's own work per upload, network excluded: the real {@link IngestHandler} fed an API Gateway v2
 * event — device token signature check, the device's inbox (credential version) from an in-memory Query, body
 * parsing and validation ({@code SyncUploadParser}), packing the SQS message bodies and the SendMessageBatch
 * request, and the 202 response — against in-memory DynamoDB and SQS clients.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestBenchmark {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String DEVICE = "pibook-0042";
    /** The credential item's sort key, as SyncRequestStore writes it (a wrong one makes every upload 401). */
    static final String CREDENTIAL_ID = "~credential";

    @Param({"1", "10", "100"})
    public int eventsPerUpload;

    APIGatewayV2HTTPEvent upload;
    IngestHandler handler;
    final InMemoryClients.Calls calls = new InMemoryClients.Calls();

    public int eventsPerBatch() {
        return eventsPerUpload;
    }

    @Setup(Level.Trial)
    public void setUp() {
        DeviceTokens tokens = new DeviceTokens("hotpath-device-token-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        Map<String, AttributeValue> credential = new HashMap<>(SyncRequestItems.key(DEVICE, CREDENTIAL_ID));
        credential.put("token_version", AttributeValue.fromN("1"));
        credential.put("revoked", AttributeValue.fromBool(false));
        var dynamo = InMemoryClients.dynamoDb(SyncRequestItems.DEVICE_ID, Map.of(), q -> List.of(credential), calls);
        handler = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.signed(tokens),
                SyncEventQueue.of(InMemoryClients.sqs(calls), "https://sqs.us-east-1.amazonaws.com/123456789012/pisync-sync-events"),
                CommandInbox.of(new SyncRequestStore(dynamo, "pisync-sync-requests")), Clock.fixed(NOW, ZoneOffset.UTC)));
        upload = upload(tokens.issue(DEVICE, 1), eventsPerUpload);
    }

    /** A device's upload as API Gateway hands it over: one event, or {"events": [...]}. */
    static APIGatewayV2HTTPEvent upload(String token, int events) {
        StringBuilder body = new StringBuilder();
        Instant first = NOW.minusSeconds(3600);
        if (events > 1) {
            body.append("{\"events\":[");
        }
        for (int i = 0; i < events; i++) {
            boolean failed = i % 10 == 9;
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"device_id\":\"").append(DEVICE).append("\",\"event_id\":\"").append(DEVICE).append("-").append(i)
                    .append("\",\"timestamp\":\"").append(first.plusSeconds(30L * i)).append("\",\"total_files_synced\":")
                    .append(failed ? 0 : 42).append(",\"total_errors\":").append(failed ? 2 : 0)
                    .append(",\"internet_speed\":12.5,\"pending_files\":").append(failed ? 8 : 0);
            if (failed) {
                body.append(",\"error_code\":\"NET_TIMEOUT\",\"error_message\":\"Upload timed out after 30 s\"");
            }
            body.append('}');
        }
        if (events > 1) {
            body.append("]}");
        }
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("POST /v1/sync-events");
        event.setRawPath("/v1/sync-events");
        event.setRawQueryString("");
        event.setHeaders(Map.of("authorization", "Bearer " + token, "content-type", "application/json",
                "user-agent", "PiBook/4.2 (sync-agent)", "host", "abc123.execute-api.us-east-1.amazonaws.com"));
        event.setBody(body.toString());
        event.setIsBase64Encoded(false);
        event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey("POST /v1/sync-events").withRequestId("req-1").withStage("$default")
                .withTimeEpoch(NOW.toEpochMilli())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath("/v1/sync-events")
                        .withProtocol("HTTP/1.1").withSourceIp("203.0.113.7").build())
                .build());
        return event;
    }

    @Benchmark
    public APIGatewayV2HTTPResponse handleUpload() {
        return handler.handleRequest(upload, null);
    }
}
