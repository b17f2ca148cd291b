package com.pisync.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.admin.AdminHandler;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.aws.http.Cursors;
import com.pisync.ingest.CommandInbox;
import com.pisync.ingest.DeviceAuthenticator;
import com.pisync.ingest.IngestHandler;
import com.pisync.ingest.SyncEventIngest;
import com.pisync.ingest.SyncEventQueue;
import com.pisync.processor.ProcessorHandler;
import com.pisync.auth.AuthHandler;
import com.pisync.local.auth.LocalJwtAuthorizer;
import com.pisync.query.QueryHandler;
import com.pisync.testbed.LocalCognito;
import com.pisync.stats.StatsHandler;
import com.pisync.testbed.StreamPoller;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.TestBed;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * All of PiSync on local servers: the real handlers behind API Gateway's route matching and v2 event
 * shapes, and the processor fed from the queue as Lambda's SQS event source feeds it (batches, partial
 * batch responses, redelivery of what failed). Each instance has its own tables, queue and topic.
 */
public final class LocalPiSync {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Local keys only; a deployed stack gets its keys from its secrets. */
    private static final byte[] LOCAL_CURSOR_KEY = "pisync-local-cursor-signing-key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LOCAL_DEVICE_TOKEN_KEY =
            "pisync-local-device-token-key-0123456789".getBytes(StandardCharsets.UTF_8);
    /** The claims API Gateway's JWT authorizer passes for an admin; the default caller of {@link #call}. */
    public static final Map<String, String> ADMIN_CLAIMS = Map.of("sub", "00000000-0000-0000-0000-00000000a0a0",
            "username", "admin", "cognito:groups", "[admin]", "token_use", "access");

    public final PiSyncConfig config;
    public final DynamoDbClient dynamo;
    public final SqsClient sqs;
    public final SnsClient sns;
    public final Clock clock;
    private final Routes<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes = new Routes<>();
    private final ProcessorHandler processor;
    private final Set<String> publicRoutes = new java.util.HashSet<>(IngestHandler.ROUTES);
    private LocalJwtAuthorizer authorizer;
    private final List<StreamPoller> statsStreams;
    private final TestBed bed;
    private final String alertsQueueUrl;

    public final DeviceTokens deviceTokens = new DeviceTokens(LOCAL_DEVICE_TOKEN_KEY);

    /** A stack whose ingest believes the body's device_id (for pipeline tests): no device tokens. */
    public LocalPiSync(TestBed bed, Clock clock, int failureThreshold, ExecutionInterceptor... interceptors) {
        this(bed, clock, failureThreshold, false, interceptors);
    }

    /** @param requireDeviceTokens as deployed: uploads need the device's current token */
    public LocalPiSync(TestBed bed, Clock clock, int failureThreshold, boolean requireDeviceTokens,
            ExecutionInterceptor... interceptors) {
        this.bed = bed;
        this.clock = clock;
        this.dynamo = LocalClients.dynamoDb(bed.dynamoDb().endpoint(), interceptors);
        this.sqs = LocalClients.sqs(bed.sqs().endpoint(), interceptors);
        this.sns = LocalClients.sns(bed.sns().endpoint(), interceptors);
        String id = UUID.randomUUID().toString().substring(0, 8);
        String queueUrl = sqs.createQueue(r -> r.queueName("sync-events-" + id)).queueUrl();
        String topicArn = sns.createTopic(r -> r.name("alerts-" + id)).topicArn();
        this.alertsQueueUrl = bed.sns().subscribeQueue(topicArn, "alerts-" + id);
        this.config = PiSyncConfig.from(Map.of()).withResources("t" + id + "-", queueUrl, topicArn)
                .withFailureThreshold(failureThreshold);
        Tables.createIfMissing(dynamo, config);

        IngestHandler ingest = new IngestHandler(new SyncEventIngest(
                requireDeviceTokens ? DeviceAuthenticator.signed(deviceTokens) : DeviceAuthenticator.TRUST_BODY,
                new SyncEventQueue(sqs, queueUrl),
                CommandInbox.of(new SyncRequestStore(dynamo, config.syncRequestsTable())), clock));
        routes.add(IngestHandler.ROUTES, ingest)
                .add(QueryHandler.ROUTES, new QueryHandler(dynamo, config, new Cursors(LOCAL_CURSOR_KEY), clock))
                .add(AdminHandler.ROUTES, new AdminHandler(dynamo, sns, config, deviceTokens, clock));
        this.processor = new ProcessorHandler(dynamo, sns, config, clock);
        // Lambda reads the tables' streams into the stats function; locally a poller does.
        StatsHandler stats = new StatsHandler(dynamo, config, clock);
        var streams = StreamPoller.localStreamsClient(bed.dynamoDb().endpoint());
        this.statsStreams = List.of(
                StreamPoller.forTable(dynamo, streams, config.devicesTable(), e -> stats.handleRequest(e, null), 1000),
                StreamPoller.forTable(dynamo, streams, config.syncEventsTable(), e -> stats.handleRequest(e, null), 1000));
    }

    /**
     * Adds admin identity: the auth and users routes on this user pool, and API Gateway's JWT
     * authorizer (issuer = the pool, audience = its app client) in front of every other route but the
     * device route and the health check, for {@link #serve}.
     */
    public LocalPiSync withIdentity(LocalCognito cognito, LocalCognito.UserPool pool) {
        routes.add(AuthHandler.ROUTES, new AuthHandler(cognito.client(), pool.poolId(), pool.clientId(),
                new Cursors(LOCAL_CURSOR_KEY), clock));
        publicRoutes.addAll(AuthHandler.PUBLIC_ROUTES);
        authorizer = new LocalJwtAuthorizer(pool.issuer(), List.of(pool.clientId()), clock);
        return this;
    }

    /**
     * A request exactly as API Gateway would treat it: unknown route 404, protected routes checked by
     * the JWT authorizer (its own 401 when the token fails), claims handed to the function.
     */
    public APIGatewayV2HTTPResponse serve(String method, String pathAndQuery, String body, Map<String, String> headers) {
        int q = pathAndQuery.indexOf('?');
        var match = routes.match(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                s -> URLDecoder.decode(s, StandardCharsets.UTF_8));
        Map<String, String> claims = null;
        if (match != null && authorizer != null && !publicRoutes.contains(match.routeKey())) {
            String authorization = headers.entrySet().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase("Authorization")).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            try {
                claims = authorizer.verifyHeader(authorization).claims();
            } catch (LocalJwtAuthorizer.Unauthorized refusal) {
                return LocalJwtAuthorizer.unauthorizedResponse(refusal);
            }
        }
        return call(method, pathAndQuery, body, headers, claims);
    }

    /** Feeds everything new on the devices and sync_events streams to the stats function. */
    public void runStats() {
        statsStreams.forEach(StreamPoller::drain);
    }

    public List<String> routeKeys() {
        return routes.keys();
    }

    /** A request as an admin signed in to the dashboard would make it. */
    public APIGatewayV2HTTPResponse call(String method, String pathAndQuery, String body) {
        return call(method, pathAndQuery, body, Map.of(), ADMIN_CLAIMS);
    }

    /**
     * An HTTP request as API Gateway would hand it to the function behind the route.
     *
     * @param claims what the JWT authorizer verified (null: no authorizer claims)
     */
    public APIGatewayV2HTTPResponse call(String method, String pathAndQuery, String body, Map<String, String> headers,
            Map<String, String> claims) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String rawQuery = q < 0 ? "" : pathAndQuery.substring(q + 1);
        var match = routes.match(method, path, s -> URLDecoder.decode(s, StandardCharsets.UTF_8));
        if (match == null) {
            // API Gateway's own answer for an unknown route.
            return APIGatewayV2HTTPResponse.builder().withStatusCode(404)
                    .withHeaders(Map.of("Content-Type", "application/json")).withBody("{\"message\":\"Not Found\"}").build();
        }
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(match.routeKey());
        event.setRawPath(path);
        event.setRawQueryString(rawQuery);
        event.setQueryStringParameters(parseQuery(rawQuery));
        event.setPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters());
        Map<String, String> h = new HashMap<>(Map.of("content-type", "application/json", "host", "127.0.0.1"));
        headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
        event.setHeaders(h);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(match.routeKey())
                .withRequestId(UUID.randomUUID().toString())
                .withStage("$default")
                .withTimeEpoch(clock.millis())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                        .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                .withAuthorizer(claims == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(claims).withScopes(null).build()).build())
                .build());
        return match.target().handleRequest(event, null);
    }

    public JsonNode json(String method, String pathAndQuery, String body, int expectedStatus) {
        APIGatewayV2HTTPResponse r = call(method, pathAndQuery, body);
        if (r.getStatusCode() != expectedStatus) {
            throw new AssertionError(method + " " + pathAndQuery + " answered " + r.getStatusCode() + ", expected "
                    + expectedStatus + ": " + r.getBody());
        }
        try {
            return r.getBody() == null || r.getBody().isEmpty() ? JSON.nullNode() : JSON.readTree(r.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.getBody(), e);
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.merge(k, v, (a, b) -> a + "," + b); // API Gateway joins repeated parameters with commas
        }
        return params;
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Takes up to {@code max} messages off the queue without processing them. */
    public List<Message> receive(int max) {
        List<Message> all = new ArrayList<>();
        while (all.size() < max) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(config.syncEventsQueueUrl())
                    .maxNumberOfMessages(Math.min(10, max - all.size()))
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (got.isEmpty()) {
                break;
            }
            all.addAll(got);
        }
        return all;
    }

    /** Invokes the processor with a ready-made SQS event. */
    public SQSBatchResponse process(SQSEvent event) {
        return processor.handleRequest(event, null);
    }

    /** Invokes the processor with these messages as one batch, as Lambda would. */
    public SQSBatchResponse deliver(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setAttributes(m.attributesAsStrings());
            r.setEventSource("aws:sqs");
            records.add(r);
        }
        event.setRecords(records);
        return processor.handleRequest(event, null);
    }

    /**
     * Runs the processor until the queue is empty: successes deleted, failures made visible again at
     * once (instead of after the visibility timeout).
     *
     * @return how many deliveries failed along the way
     */
    public int drain(int batchSize, int maxRounds) {
        int failures = 0;
        for (int round = 0; round < maxRounds; round++) {
            List<Message> batch = receive(batchSize);
            if (batch.isEmpty()) {
                return failures;
            }
            Set<String> failed = deliver(batch).getBatchItemFailures().stream()
                    .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
            failures += failed.size();
            for (Message m : batch) {
                if (failed.contains(m.messageId())) {
                    sqs.changeMessageVisibility(r -> r.queueUrl(config.syncEventsQueueUrl())
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                } else {
                    sqs.deleteMessage(r -> r.queueUrl(config.syncEventsQueueUrl()).receiptHandle(m.receiptHandle()));
                }
            }
        }
        throw new IllegalStateException("queue not drained after " + maxRounds + " rounds");
    }

    public int drain() {
        return drain(10, 1000);
    }

    /** Alert notifications SNS delivered since the last call, oldest first, with their attributes. */
    public List<JsonNode> publishedAlerts() {
        List<JsonNode> alerts = new ArrayList<>();
        SqsClient reader = bed.sns().sqsClient();
        for (int empty = 0; empty < 2; ) {
            int wait = empty == 0 ? 0 : 1; // one short long-poll to be sure nothing is still on its way
            List<Message> got = reader.receiveMessage(r -> r.queueUrl(alertsQueueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(wait)).messages();
            if (got.isEmpty()) {
                empty++;
                continue;
            }
            for (Message m : got) {
                try {
                    JsonNode envelope = JSON.readTree(m.body());
                    ObjectNode alert = (ObjectNode) JSON.readTree(envelope.get("Message").asText());
                    alert.set("_attributes", envelope.get("MessageAttributes"));
                    alerts.add(alert);
                } catch (Exception e) {
                    throw new IllegalStateException("not an SNS envelope: " + m.body(), e);
                }
                reader.deleteMessage(r -> r.queueUrl(alertsQueueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return alerts;
    }
}
