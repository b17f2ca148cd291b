package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.processor.ProcessorHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The logging and metrics seams, read from the functions' own output as CloudWatch Logs would receive it: a
 * processed SQS batch writes one structured line with the Lambda request id (not one per event), and the business
 * metrics come as CloudWatch embedded metric format documents (namespace PiSync, dimension function).
 */
class ObservabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pipeline p = new Pipeline();

    /** Standard output of {@code action}, line by line. */
    private static <T> List<JsonNode> stdout(Supplier<T> action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.get();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every line is JSON
            }
        }
        return lines;
    }

    private static List<JsonNode> emf(List<JsonNode> lines) {
        return lines.stream().filter(l -> l.has("_aws")).toList();
    }

    private static List<JsonNode> logs(List<JsonNode> lines) {
        return lines.stream().filter(l -> !l.has("_aws")).toList();
    }

    private static void assertEmf(JsonNode doc, String function, String... metrics) {
        JsonNode directive = doc.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("PiSync", directive.get("Namespace").asText());
        assertEquals("function", directive.get("Dimensions").get(0).get(0).asText());
        assertEquals(function, doc.get("function").asText());
        assertTrue(doc.get("_aws").get("Timestamp").isIntegralNumber());
        List<String> names = new ArrayList<>();
        directive.get("Metrics").forEach(m -> names.add(m.get("Name").asText()));
        for (String m : metrics) {
            assertTrue(names.contains(m), m + " declared in " + doc);
            assertTrue(doc.get(m).isNumber(), m + " has a value in " + doc);
        }
    }

    private SQSBatchResponse deliver(ProcessorHandler processor, List<Message> messages, String requestId) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setBody(m.body());
            r.setEventSource("aws:sqs");
            records.add(r);
        }
        event.setRecords(records);
        return processor.handleRequest(event, new FakeContext(requestId));
    }

    @Test
    void ingestPrintsEmfOnlyForWhatItRefused() throws Exception {
        String upload = "{\"events\":[" + SyncPipelineTest.event("obs-1", 1, false) + ","
                + SyncPipelineTest.event("obs-1", 2, true) + ",{\"device_id\":\"obs-1\",\"timestamp\":\"yesterday\"}]}";
        List<JsonNode> out = stdout(() -> p.post(upload));

        List<JsonNode> docs = emf(out);
        assertEquals(1, docs.size(), out.toString());
        assertEmf(docs.get(0), "ingest", "EventsRejected");
        assertEquals(1, docs.get(0).get("EventsRejected").asInt());

        List<JsonNode> refused = emf(stdout(() -> p.post("{\"events\":[]}")));
        assertEquals(1, refused.get(0).get("UploadsRejected").asInt(), "an upload refused whole (400)");

        // A clean upload prints nothing: its events are counted once per batch by the processor (EventsQueued).
        String clean = "{\"events\":[" + SyncPipelineTest.event("obs-1", 3, false) + "]}";
        assertEquals(List.of(), emf(stdout(() -> p.post(clean))), "no document per accepted upload");
    }

    @Test
    void aProcessedBatchWritesOneLineWithTheRequestIdAndItsMetrics() throws Exception {
        StringBuilder upload = new StringBuilder("{\"events\":[");
        for (int minute = 1; minute <= 6; minute++) {
            upload.append(minute == 1 ? "" : ",").append(SyncPipelineTest.event("obs-2", minute, minute >= 4));
        }
        p.post(upload.append(",").append(SyncPipelineTest.event("obs-3", 1, false)).append("]}").toString());
        List<Message> messages = p.receive(10);
        ProcessorHandler processor = new ProcessorHandler(p.dynamo, p.stack.sns, p.config, p.clock);
        p.clock.advance(Duration.ofSeconds(3));

        List<JsonNode> out = stdout(() -> deliver(processor, messages, "lambda-request-1"));

        List<JsonNode> lines = logs(out);
        assertEquals(1, lines.size(), "one line per batch, not per event: " + out);
        JsonNode line = lines.get(0);
        assertEquals("INFO", line.get("level").asText());
        assertEquals("batch processed", line.get("message").asText());
        assertEquals("lambda-request-1", line.get("request_id").asText());
        assertEquals("processor", line.get("function").asText());
        assertTrue(line.has("timestamp"));
        assertEquals(2, line.get("devices").asInt());
        assertEquals(7, line.get("events").asInt());
        assertEquals(7, line.get("stored").asInt());
        assertEquals(0, line.get("duplicates_dropped").asInt());
        assertEquals(1, line.get("alerts_opened").asInt());
        assertEquals(0, line.get("failed_messages").asInt());

        List<JsonNode> docs = emf(out);
        assertEquals(1, docs.size(), out.toString());
        JsonNode doc = docs.get(0);
        assertEmf(doc, "processor", "EventsQueued", "EventsStored", "DuplicatesDropped", "AlertsOpened", "ProcessingLag");
        assertEquals(7, doc.get("EventsQueued").asInt(), "first deliveries: the events the uploads queued");
        assertEquals(7, doc.get("EventsStored").asInt());
        assertEquals(1, doc.get("AlertsOpened").asInt());
        assertEquals("lambda-request-1", doc.get("request_id").asText());
        assertTrue(doc.get("ProcessingLag").asLong() >= 0);

        List<JsonNode> again = stdout(() -> deliver(processor, messages, "lambda-request-2"));
        JsonNode redelivered = emf(again).get(0);
        assertEquals(0, redelivered.get("EventsStored").asInt());
        assertEquals(7, redelivered.get("DuplicatesDropped").asInt(), "SQS delivered the batch twice");
        assertEquals("lambda-request-2", logs(again).get(0).get("request_id").asText());
    }

    @Test
    void aFailingDeviceIsNamedInTheBatchLine() throws Exception {
        p.post(SyncPipelineTest.event("obs-4", 1, false));
        List<Message> messages = p.receive(10);
        ProcessorHandler processor = new ProcessorHandler(p.dynamo, p.stack.sns, p.config, p.clock);
        p.faults.failBeforeSending("DynamoDb.GetItem", 20);

        List<JsonNode> out = stdout(() -> deliver(processor, messages, "lambda-request-3"));
        p.faults.clear();

        List<JsonNode> lines = logs(out);
        assertEquals(1, lines.size(), out.toString());
        assertEquals("WARN", lines.get(0).get("level").asText());
        assertEquals(1, lines.get(0).get("failed_devices").asInt());
        assertEquals("obs-4", lines.get(0).get("failures").get(0).get("device_id").asText());
    }

    /** Just enough of Lambda's context: the request id. */
    private record FakeContext(String getAwsRequestId) implements Context {
        @Override public String getLogGroupName() { return "/aws/lambda/pisync-processor"; }
        @Override public String getLogStreamName() { return "2026/11/01/[$LATEST]0000"; }
        @Override public String getFunctionName() { return "pisync-processor"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:pisync-processor"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 300_000; }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
