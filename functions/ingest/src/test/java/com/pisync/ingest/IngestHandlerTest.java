package com.pisync.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.queue.SyncEventMessages;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The ingest function against ElasticMQ, fed the sample events under events/ingest. */
class IngestHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T09:00:00Z"), ZoneOffset.UTC);

    private final RequestMeter meter = new RequestMeter();
    private final SqsClient sqs = LocalClients.sqs(TestBed.shared().sqs().endpoint(), meter);
    private String queueUrl;
    private IngestHandler handler;

    @BeforeEach
    void newQueue() {
        queueUrl = sqs.createQueue(r -> r.queueName("ingest-" + UUID.randomUUID())).queueUrl();
        handler = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.TRUST_BODY,
                SyncEventQueue.of(sqs, queueUrl), CommandInbox.NONE, CLOCK));
        meter.reset();
    }

    private static APIGatewayV2HTTPEvent post(String body) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/ingest/post-sync-event.json");
        event.setBody(body);
        return event;
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private List<ReceivedSyncEvent> queued() {
        List<ReceivedSyncEvent> events = new ArrayList<>();
        List<Message> messages;
        do {
            messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
            messages.forEach(m -> events.addAll(SyncEventMessages.unpack(m.body())));
        } while (!messages.isEmpty());
        return events;
    }

    private static void assertProblem(APIGatewayV2HTTPResponse response, int status, String field) throws Exception {
        assertEquals(status, response.getStatusCode());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        JsonNode problem = body(response);
        assertEquals(status, problem.get("status").asInt());
        assertTrue(problem.hasNonNull("type") && problem.hasNonNull("title") && problem.hasNonNull("detail"));
        if (field != null) {
            assertTrue(problem.get("errors").findValuesAsText("field").contains(field), problem.toString());
        }
    }

    @ParameterizedTest
    @Event(value = "events/ingest/post-sync-event.json", type = APIGatewayV2HTTPEvent.class)
    void singleEventIsQueuedAndAnswered202(APIGatewayV2HTTPEvent request) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(request, null);

        assertEquals(202, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals(1, body.get("accepted").size());
        assertEquals(0, body.get("rejected").size());
        assertTrue(body.get("commands").isArray());
        List<ReceivedSyncEvent> queued = queued();
        assertEquals(1, queued.size());
        assertEquals(body.get("accepted").get(0).asText(), queued.get(0).event().eventId());
        assertEquals("pibook-0042", queued.get(0).event().deviceId());
        assertEquals(Instant.ofEpochMilli(1793520181000L), queued.get(0).receivedAt(), "API Gateway's request time");
    }

    @ParameterizedTest
    @Event(value = "events/ingest/post-sync-events-batch.json", type = APIGatewayV2HTTPEvent.class)
    void batchOfTenIsOneMessageInOneSqsRequest(APIGatewayV2HTTPEvent request) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(request, null);

        assertEquals(202, response.getStatusCode());
        assertEquals(10, body(response).get("accepted").size());
        assertEquals(1, meter.requests("Sqs.SendMessageBatch"));
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertEquals(1, messages.size());
        List<ReceivedSyncEvent> events = SyncEventMessages.unpack(messages.get(0).body());
        assertEquals(10, events.size());
        assertEquals(Instant.parse("2026-10-31T02:30:00Z"), events.get(0).event().timestamp(), "stored as UTC");
        assertEquals("pibox-0007-1000", body(response).get("accepted").get(0).asText());
    }

    @ParameterizedTest
    @Event(value = "events/ingest/post-sync-events-partly-invalid.json", type = APIGatewayV2HTTPEvent.class)
    void validEventsOfABatchAreAcceptedAndTheOthersRejectedByIndex(APIGatewayV2HTTPEvent request) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(request, null);

        assertEquals(202, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals(1, body.get("accepted").size());
        JsonNode rejected = body.get("rejected").get(0);
        assertEquals(1, rejected.get("index").asInt());
        assertEquals(List.of("events[1].timestamp", "events[1].total_files_synced"),
                rejected.get("errors").findValuesAsText("field"));
        assertEquals(1, queued().size());
    }

    @Test
    void uploadWithNoValidEventIsA400ProblemAndQueuesNothing() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(post(
                "{\"events\":[{\"device_id\":\"pibook-1\",\"timestamp\":\"2026-11-01T08:00:00Z\",\"total_files_synced\":1,"
                        + "\"total_errors\":-2,\"internet_speed\":1}]}"), null);
        assertProblem(response, 400, "events[0].total_errors");
        assertEquals("must be ≥ 0", body(response).get("errors").get(0).get("message").asText());
        assertEquals(0, meter.totalRequests("Sqs"));
    }

    @Test
    void bodyThatIsNotJsonIsA400Problem() throws Exception {
        assertProblem(handler.handleRequest(post("{\"device_id\":"), null), 400, "body");
        assertProblem(handler.handleRequest(post(""), null), 400, "body");
        assertProblem(handler.handleRequest(post("[]"), null), 400, "body");
    }

    @Test
    void bodyOver512KiBIsA413Problem() throws Exception {
        String padding = "x".repeat(512 * 1024);
        APIGatewayV2HTTPResponse response = handler.handleRequest(post("{\"pad\":\"" + padding + "\"}"), null);
        assertProblem(response, 413, "body");
        assertEquals(0, meter.totalRequests("Sqs"));
    }

    @Test
    void moreThan500EventsIsA400Problem() throws Exception {
        String event = "{\"device_id\":\"pibook-1\",\"timestamp\":\"2026-11-01T08:00:00Z\",\"total_files_synced\":1,"
                + "\"total_errors\":0,\"internet_speed\":1}";
        String body = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(501, event)) + "]}";
        assertProblem(handler.handleRequest(post(body), null), 400, "events");
    }

    @Test
    void fiveHundredEventsFillSeveralMessagesOfOneRequest() throws Exception {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 500; i++) {
            body.append(i == 0 ? "" : ",").append("{\"device_id\":\"pibox-big\",\"seq\":").append(i)
                    .append(",\"timestamp\":\"2026-11-01T08:00:00Z\",\"total_files_synced\":1,\"total_errors\":1,")
                    .append("\"internet_speed\":1,\"error_message\":\"").append("e".repeat(400)).append("\"}");
        }
        APIGatewayV2HTTPResponse response = handler.handleRequest(post(body.append("]}").toString()), null);
        assertEquals(202, response.getStatusCode());
        assertEquals(500, queued().size());
        assertTrue(meter.requests("Sqs.SendMessageBatch") <= 2, meter.requests().toString());
    }

    @Test
    void duplicateEventInOneUploadIsListedTwiceAndQueuedOnce() throws Exception {
        String event = "{\"device_id\":\"pibook-1\",\"timestamp\":\"2026-11-01T08:00:00Z\",\"total_files_synced\":1,"
                + "\"total_errors\":0,\"internet_speed\":1}";
        JsonNode body = body(handler.handleRequest(post("{\"events\":[" + event + "," + event + "]}"), null));
        assertEquals(2, body.get("accepted").size());
        assertEquals(body.get("accepted").get(0), body.get("accepted").get(1));
        assertEquals(1, queued().size());
    }

    @Test
    void base64EncodedBodyIsRead() throws Exception {
        APIGatewayV2HTTPEvent request = post(Base64.getEncoder().encodeToString(
                ("{\"device_id\":\"pibook-1\",\"timestamp\":\"2026-11-01T08:00:00Z\",\"total_files_synced\":1,"
                        + "\"total_errors\":0,\"internet_speed\":1}").getBytes(StandardCharsets.UTF_8)));
        request.setIsBase64Encoded(true);
        assertEquals(202, handler.handleRequest(request, null).getStatusCode());
    }

    @ParameterizedTest
    @Event(value = "events/ingest/get-health.json", type = APIGatewayV2HTTPEvent.class)
    void healthAnswersOkWithoutAuth(APIGatewayV2HTTPEvent request) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(request, null);
        assertEquals(200, response.getStatusCode());
        assertEquals("ok", body(response).get("status").asText());
    }

    @Test
    void unknownRouteIsA404Problem() throws Exception {
        APIGatewayV2HTTPEvent request = post("{}");
        request.setRouteKey("GET /v1/nothing-here");
        assertProblem(handler.handleRequest(request, null), 404, null);
    }

    @Test
    void queueFailureIsAProblemWithoutInternals() throws Exception {
        IngestHandler broken = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.TRUST_BODY,
                SyncEventQueue.of(sqs, queueUrl + "-missing"), CommandInbox.NONE, CLOCK));
        APIGatewayV2HTTPResponse response = broken.handleRequest(post(
                "{\"device_id\":\"pibook-1\",\"timestamp\":\"2026-11-01T08:00:00Z\",\"total_files_synced\":1,"
                        + "\"total_errors\":0,\"internet_speed\":1}"), null);
        assertProblem(response, 500, null);
        assertFalse(response.getBody().contains("Exception"), response.getBody());
        assertFalse(response.getBody().contains("amazonaws"), response.getBody());
        assertTrue(body(response).get("detail").asText().contains("Jb1Zkgx3IAMEbXw="), "names the request id");
    }
}
