package com.pisync.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.queue.SyncEventMessages;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncRequest;
import com.pisync.domain.SyncUpload;
import com.pisync.domain.SyncUploadParser;
import com.pisync.ingest.CommandInbox;
import com.pisync.ingest.DeviceAuthenticator;
import com.pisync.ingest.IngestHandler;
import com.pisync.ingest.SyncEventIngest;
import com.pisync.ingest.SyncEventQueue;
import com.pisync.local.LocalPiSync;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The device ingest path under fuzzed uploads ({@link Uploads}), on the real {@link IngestHandler}.
 *
 * <ul>
 *   <li>{@link #uploadsToIngest}: the handler with the real token check, parser and message packing,
 *       the queue and inbox ports recording in memory (every queued body checked against SQS's message
 *       rules: size and allowed characters). Thousands of inputs
 *       a second: this target carries most of a long run.
 *   <li>{@link #uploadsThroughLocalAws}: the local stack as deployed (device tokens required) on
 *       the DynamoDB engine and ElasticMQ, every AWS request metered.
 * </ul>
 *
 * <p>On every input: no exception escapes, never a 5xx, every 4xx a problem naming field and reason
 * without internals ({@link Invariants}); nothing queued or written for a refused upload; a 202 only
 * when the parser, run independently on the same body, accepts the same events, which reach the queue
 * exactly as validated (what the processor unpacks equals what the parser produced).
 */
class IngestFuzzTest {

    static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Set<String> WRITES = Set.of("DynamoDb.PutItem", "DynamoDb.UpdateItem", "DynamoDb.DeleteItem",
            "DynamoDb.BatchWriteItem", "DynamoDb.TransactWriteItems");

    // ---- in memory -------------------------------------------------------------------------------

    private static final DeviceTokens TOKENS =
            new DeviceTokens("fuzz-device-token-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Uploads.Tokens MEMORY_TOKENS = new Uploads.Tokens(TOKENS.issue(Uploads.DEVICE, 2),
            TOKENS.issue(Uploads.DEVICE, 1), TOKENS.issue(Uploads.OTHER, 1), TOKENS.issue(Uploads.GONE, 3));
    private static final RecordingQueue QUEUE = new RecordingQueue();
    private static final RecordingInbox INBOX = new RecordingInbox();
    private static final IngestHandler MEMORY_HANDLER = new IngestHandler(new SyncEventIngest(
            DeviceAuthenticator.signed(TOKENS), QUEUE, INBOX, CLOCK));

    /**
     * The queue port in memory. What ingest hands over must be a message SQS takes: at most 256 KiB, only the
     * characters SQS allows (#x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF). A body that breaks
     * either would be refused by SQS after the device was told its events were accepted: a finding.
     */
    static final class RecordingQueue implements SyncEventQueue {
        final List<String> sent = new ArrayList<>();
        int calls;

        @Override
        public void send(List<String> bodies) {
            calls++;
            for (String body : bodies) {
                int bytes = body.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > 256 * 1024) {
                    throw new AssertionError("a queued message of " + bytes + " bytes: SQS takes at most 256 KiB");
                }
                body.codePoints().filter(c -> !(c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                        || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000)).findFirst().ifPresent(c -> {
                            throw new AssertionError("a queued message with U+" + Integer.toHexString(c)
                                    + ", which SQS refuses");
                        });
            }
            sent.addAll(bodies);
        }

        void reset() {
            sent.clear();
            calls = 0;
        }
    }

    /** The credentials the in-memory target knows: pibook-1 at version 2, pibook-2 at 1, pibook-gone revoked. */
    static final class RecordingInbox implements CommandInbox {
        int reads;
        int deliveries;
        final SyncRequest pending = new SyncRequest("req_fuzz", Uploads.DEVICE, SyncRequest.Status.QUEUED,
                NOW.minusSeconds(60), NOW.plusSeconds(3600), null, null, null);

        @Override
        public SyncRequestStore.Inbox read(String deviceId, Instant now) {
            reads++;
            return switch (deviceId) {
                case Uploads.DEVICE -> new SyncRequestStore.Inbox(List.of(pending), 2L, false);
                case Uploads.OTHER -> new SyncRequestStore.Inbox(List.of(), 1L, false);
                case Uploads.GONE -> new SyncRequestStore.Inbox(List.of(), 3L, true);
                default -> new SyncRequestStore.Inbox(List.of(), null, false);
            };
        }

        @Override
        public void delivered(String deviceId, SyncRequest request, Instant at) {
            deliveries++;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void uploadsToIngest(FuzzedDataProvider data) {
        Uploads.Upload upload = Uploads.request(data, MEMORY_TOKENS, NOW, 520);
        QUEUE.reset();
        INBOX.reads = 0;
        INBOX.deliveries = 0;
        APIGatewayV2HTTPResponse response = MEMORY_HANDLER.handleRequest(upload.event(), null);
        // A 202 echoes event ids (anything); a refusal echoes nothing of the body.
        JsonNode body = Invariants.check(response, response.getStatusCode() == 202 ? null : "");
        int status = response.getStatusCode();
        if (status == 202) {
            List<SyncEvent> queued = new ArrayList<>();
            QUEUE.sent.forEach(m -> SyncEventMessages.unpack(m).stream().map(ReceivedSyncEvent::event).forEach(queued::add));
            checkAccepted(upload, body, queued, TOKENS);
            if (body.path("commands").size() != (upload.event().getHeaders().toString().contains(MEMORY_TOKENS.current()) ? 1 : 0)
                    || INBOX.deliveries != body.path("commands").size()) {
                throw new AssertionError("the pending sync request was not handed over: " + body);
            }
        } else {
            if (QUEUE.calls != 0 || INBOX.deliveries != 0) {
                throw new AssertionError(status + " but " + QUEUE.calls + " queue hand-overs and " + INBOX.deliveries
                        + " deliveries: " + response.getBody());
            }
            if (status == 200 && !"GET /health".equals(upload.event().getRouteKey())) {
                throw new AssertionError("200 for " + upload.event().getRouteKey());
            }
        }
    }

    /**
     * The parser, run on its own on the same bytes, accepts exactly the events the 202 lists, all of the
     * token's device; the queue holds each distinct one once, as validated.
     */
    static void checkAccepted(Uploads.Upload upload, JsonNode body, List<SyncEvent> queued, DeviceTokens tokens) {
        String header = HttpApi.header(upload.event(), "Authorization");
        DeviceTokens.Credential credential = header == null || header.length() < 7 ? null
                : tokens.verify(header.substring(7).strip());
        if (credential == null) {
            throw new AssertionError("202 without a valid device token: " + header);
        }
        SyncUpload expected = new SyncUploadParser(CLOCK).parse(HttpApi.jsonBody(HttpApi.bodyBytes(upload.event())));
        List<String> ids = new ArrayList<>();
        body.path("accepted").forEach(n -> ids.add(n.asText()));
        List<String> expectedIds = expected.accepted().stream().map(SyncEvent::eventId).toList();
        if (!ids.equals(expectedIds)) {
            throw new AssertionError("accepted " + ids + " but the parser accepts " + expectedIds);
        }
        List<Integer> rejected = new ArrayList<>();
        body.path("rejected").forEach(n -> rejected.add(n.path("index").asInt()));
        if (!rejected.equals(expected.rejected().stream().map(SyncUpload.Rejection::index).toList())) {
            throw new AssertionError("rejected " + rejected + " but the parser rejects " + expected.rejected());
        }
        Map<String, SyncEvent> unique = new LinkedHashMap<>();
        for (SyncEvent e : expected.accepted()) {
            if (!e.deviceId().equals(credential.deviceId())) {
                throw new AssertionError("accepted an event of " + e.deviceId() + " with " + credential.deviceId() + "'s token");
            }
            unique.putIfAbsent(e.deviceId() + "\n" + e.eventId(), e);
        }
        if (!queued.equals(new ArrayList<>(unique.values()))) {
            throw new AssertionError("queued " + queued + "\nbut validated " + unique.values());
        }
    }

    // ---- on the DynamoDB engine and ElasticMQ -----------------------------------------------------------

    private static LocalStackTarget local;

    /** The local stack as deployed, built once per JVM: three devices registered, one token rotated, one decommissioned. */
    static final class LocalStackTarget {
        final RequestMeter meter = new RequestMeter();
        final LocalPiSync stack = new LocalPiSync(TestBed.shared(), CLOCK, 3, true, meter);
        final Uploads.Tokens tokens;
        /** Wired as LocalPiSync wires it (metered clients, the stack's queue and tables), fed the raw fuzzed event. */
        final IngestHandler handler = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.signed(stack.deviceTokens),
                SyncEventQueue.of(stack.sqs, stack.config.syncEventsQueueUrl()),
                CommandInbox.of(new SyncRequestStore(stack.dynamo, stack.config.syncRequestsTable())), CLOCK));

        LocalStackTarget() {
            String first = register(Uploads.DEVICE);
            String other = register(Uploads.OTHER);
            String gone = register(Uploads.GONE);
            String current = stack.json("POST", "/v1/devices/" + Uploads.DEVICE + "/token", null, 200)
                    .get("device_token").asText();
            stack.json("DELETE", "/v1/devices/" + Uploads.GONE, null, 204);
            stack.json("POST", "/v1/devices/" + Uploads.DEVICE + "/sync-requests", null, 202);
            tokens = new Uploads.Tokens(current, first, other, gone);
        }

        private String register(String id) {
            return stack.json("POST", "/v1/devices", "{\"device_id\":\"" + id + "\",\"name\":\"" + id
                    + "\",\"type\":\"PiBook\",\"site\":\"fuzz-school\"}", 201).get("device_token").asText();
        }

        /** Takes the messages the last upload queued off the queue (so it never fills up). */
        List<SyncEvent> takeQueued(int atLeastMessages) {
            List<SyncEvent> events = new ArrayList<>();
            List<Message> messages = new ArrayList<>();
            for (int empty = 0; messages.size() < atLeastMessages && empty < 3; ) {
                List<Message> got = stack.receive(10);
                if (got.isEmpty()) {
                    empty++;
                }
                messages.addAll(got);
            }
            for (Message m : messages) {
                SyncEventMessages.unpack(m.body()).forEach(r -> events.add(r.event()));
                stack.sqs.deleteMessage(r -> r.queueUrl(stack.config.syncEventsQueueUrl()).receiptHandle(m.receiptHandle()));
            }
            return events;
        }
    }

    private static synchronized LocalStackTarget local() {
        if (local == null) {
            local = new LocalStackTarget();
        }
        return local;
    }

    @FuzzTest(maxDuration = "5m")
    void uploadsThroughLocalAws(FuzzedDataProvider data) {
        // The test bed's servers are on loopback; any other connection would be a finding.
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(
                (host, port) -> "127.0.0.1".equals(host) || "localhost".equals(host))) {
            LocalStackTarget target = local();
            Uploads.Upload upload = Uploads.request(data, target.tokens, NOW, 60);
            target.meter.reset();
            APIGatewayV2HTTPResponse response = target.handler.handleRequest(upload.event(), null);
            JsonNode body = Invariants.check(response, response.getStatusCode() == 202 ? null : "");
            Map<String, Long> requests = target.meter.requests();
            long writes = requests.entrySet().stream().filter(e -> WRITES.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            long sends = target.meter.requests("Sqs.SendMessageBatch") + target.meter.requests("Sqs.SendMessage");
            if (response.getStatusCode() == 202) {
                checkAccepted(upload, body, target.takeQueued(1), target.stack.deviceTokens);
            } else if (sends != 0 || writes != 0) {
                throw new AssertionError(response.getStatusCode() + " but AWS requests " + requests + ": "
                        + response.getBody());
            }
        }
    }
}
