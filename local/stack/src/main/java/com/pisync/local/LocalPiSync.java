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
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * All of PiSync on local servers: the real handlers behind API Gateway's route matching and v2 event
 * shapes, and the processor fed from the queue as Lambda's SQS event source feeds it (batches, partial
 * batch responses, redelivery of what failed). Each instance has its own tables, queue and topic, unless
 * {@link Settings#resourcePrefix} names fixed ones (the local runner's, kept across restarts). The servers come
 * from {@link LocalServers}: the shared test bed, or the runner's own.
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
    private final Clock tokenClock;
    private final Routes<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes = new Routes<>();
    private final ProcessorHandler processor;
    private final Set<String> publicRoutes = new java.util.HashSet<>(IngestHandler.ROUTES);
    private LocalJwtAuthorizer authorizer;
    private final List<StreamPoller> statsStreams;
    private final LocalServers servers;
    private final String alertsQueueUrl;

    public final DeviceTokens deviceTokens;
    private final byte[] cursorKey;
    private final String deadLetterQueueUrl;
    private final StatsHandler stats;
    private volatile LocalLiveServer live;

    /**
     * How a stack is set up. The defaults are the tests': fresh resources with a random suffix, no device
     * tokens, the fixed local keys, the server's default visibility timeout and no dead-letter queue.
     */
    public static final class Settings {
        private Clock clock = Clock.systemUTC();
        private Clock tokenClock;
        private int failureThreshold = 3;
        private boolean requireDeviceTokens;
        private String resourcePrefix;
        private byte[] deviceTokenKey = LOCAL_DEVICE_TOKEN_KEY;
        private byte[] cursorKey = LOCAL_CURSOR_KEY;
        private java.time.Duration visibilityTimeout;
        private int maxReceiveCount;
        private ExecutionInterceptor[] interceptors = new ExecutionInterceptor[0];
        private String dashboardUrl;

        public Settings clock(Clock c) {
            this.clock = java.util.Objects.requireNonNull(c, "clock");
            return this;
        }

        public Settings failureThreshold(int threshold) {
            this.failureThreshold = threshold;
            return this;
        }

        /**
         * The clock the JWT authorizer checks tokens against (default: {@link #clock}). A stack whose clock is moved
         * for a demo or test keeps real time here: Cognito stamps the tokens with real time.
         */
        public Settings tokenClock(Clock c) {
            this.tokenClock = c;
            return this;
        }

        /** As deployed: uploads need the device's current token. */
        public Settings requireDeviceTokens(boolean require) {
            this.requireDeviceTokens = require;
            return this;
        }

        /**
         * Fixed resource names, for a stack whose data outlives the process: tables {@code <prefix>devices}...,
         * queue {@code <prefix>sync-events} (and {@code <prefix>sync-events-dlq}), topic {@code <prefix>alerts};
         * created when missing, reused otherwise. Null (default): a random prefix per instance.
         */
        public Settings resourcePrefix(String prefix) {
            this.resourcePrefix = prefix;
            return this;
        }

        /** The keys that sign device tokens (≥ 32 bytes) and list cursors. */
        public Settings keys(byte[] deviceTokenKey, byte[] cursorKey) {
            this.deviceTokenKey = deviceTokenKey.clone();
            this.cursorKey = cursorKey.clone();
            return this;
        }

        /** The sync-events queue's VisibilityTimeout (null: the server's default). */
        public Settings visibilityTimeout(java.time.Duration timeout) {
            this.visibilityTimeout = timeout;
            return this;
        }

        /** Moves a message to a dead-letter queue after this many receives, as the CDK app does (0: no DLQ). */
        public Settings deadLetterAfter(int receives) {
            this.maxReceiveCount = receives;
            return this;
        }

        /** Where alert e-mails link to (DASHBOARD_URL); null: the default, http://127.0.0.1:8080. */
        public Settings dashboardUrl(String url) {
            this.dashboardUrl = url;
            return this;
        }

        /** Client interceptors: request meters, fault injection. */
        public Settings interceptors(ExecutionInterceptor... list) {
            this.interceptors = list.clone();
            return this;
        }
    }

    /** A stack whose ingest believes the body's device_id (for pipeline tests): no device tokens. */
    public LocalPiSync(TestBed bed, Clock clock, int failureThreshold, ExecutionInterceptor... interceptors) {
        this(bed, clock, failureThreshold, false, interceptors);
    }

    /** @param requireDeviceTokens as deployed: uploads need the device's current token */
    public LocalPiSync(TestBed bed, Clock clock, int failureThreshold, boolean requireDeviceTokens,
            ExecutionInterceptor... interceptors) {
        this(LocalServers.of(bed), new Settings().clock(clock).failureThreshold(failureThreshold)
                .requireDeviceTokens(requireDeviceTokens).interceptors(interceptors));
    }

    public LocalPiSync(LocalServers servers, Settings settings) {
        this.servers = servers;
        this.clock = settings.clock;
        this.tokenClock = settings.tokenClock != null ? settings.tokenClock : settings.clock;
        this.deviceTokens = new DeviceTokens(settings.deviceTokenKey);
        this.cursorKey = settings.cursorKey.clone();
        ExecutionInterceptor[] interceptors = settings.interceptors;
        this.dynamo = LocalClients.dynamoDb(servers.dynamoDbEndpoint(), interceptors);
        this.sqs = LocalClients.sqs(servers.sqsEndpoint(), interceptors);
        this.sns = LocalClients.sns(servers.snsEndpoint(), interceptors);
        String prefix = settings.resourcePrefix != null ? settings.resourcePrefix
                : "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String suffix = settings.resourcePrefix != null ? "" : "-" + prefix.substring(1, prefix.length() - 1);
        String base = settings.resourcePrefix != null ? prefix : "";
        Map<QueueAttributeName, String> queueAttributes = new java.util.EnumMap<>(QueueAttributeName.class);
        if (settings.visibilityTimeout != null) {
            queueAttributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(settings.visibilityTimeout.toSeconds()));
        }
        if (settings.maxReceiveCount > 0) {
            this.deadLetterQueueUrl = sqs.createQueue(r -> r.queueName(base + "sync-events-dlq" + suffix)).queueUrl();
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterQueueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            queueAttributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                    + "\",\"maxReceiveCount\":\"" + settings.maxReceiveCount + "\"}");
        } else {
            this.deadLetterQueueUrl = null;
        }
        String queueUrl = createOrUpdateQueue(base + "sync-events" + suffix, queueAttributes);
        String topicArn = sns.createTopic(r -> r.name(base + "alerts" + suffix)).topicArn();
        this.alertsQueueUrl = servers.subscribeQueue(topicArn, base + "alerts" + suffix);
        PiSyncConfig resources = PiSyncConfig.from(Map.of()).withResources(prefix, queueUrl, topicArn)
                .withFailureThreshold(settings.failureThreshold);
        this.config = settings.dashboardUrl == null ? resources : resources.withDashboardUrl(settings.dashboardUrl);
        Tables.createIfMissing(dynamo, config, clock.equals(Clock.systemUTC()));

        IngestHandler ingest = new IngestHandler(new SyncEventIngest(
                settings.requireDeviceTokens ? DeviceAuthenticator.signed(deviceTokens) : DeviceAuthenticator.TRUST_BODY,
                SyncEventQueue.of(sqs, queueUrl),
                CommandInbox.of(new SyncRequestStore(dynamo, config.syncRequestsTable())), clock));
        routes.add(IngestHandler.ROUTES, ingest)
                .add(QueryHandler.ROUTES, new QueryHandler(dynamo, config, new Cursors(cursorKey), clock))
                .add(AdminHandler.ROUTES, new AdminHandler(dynamo, sns, config, deviceTokens, clock))
                .add(com.pisync.live.LiveTicketHandler.ROUTES, new com.pisync.live.LiveTicketHandler(dynamo, config,
                        () -> startLive("127.0.0.1", 0).url().toString(), clock)); // started by the first ticket, unless before
        this.processor = new ProcessorHandler(dynamo, sns, config, clock);
        // Lambda reads the tables' streams into the stats function; locally a poller does.
        this.stats = new StatsHandler(dynamo, sns, config, clock); // with site incidents
        var streams = StreamPoller.localStreamsClient(servers.dynamoDbEndpoint());
        this.statsStreams = List.of(
                StreamPoller.forTable(dynamo, streams, config.devicesTable(), e -> stats.handleRequest(e, null), 1000),
                StreamPoller.forTable(dynamo, streams, config.syncEventsTable(), e -> stats.handleRequest(e, null), 1000));
    }

    /** Creates the queue, or (kept from an earlier run with other settings) gives it these attributes. */
    private String createOrUpdateQueue(String name, Map<QueueAttributeName, String> attributes) {
        try {
            return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        } catch (software.amazon.awssdk.services.sqs.model.QueueNameExistsException differentAttributes) {
            String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(attributes));
            return url;
        }
    }

    /**
     * Starts live updates: the WebSocket endpoint the tickets of {@code POST /v1/live/ticket} name, fed from the
     * devices, alerts, sync_requests and incidents streams by the live fan-out function (see {@link LocalLiveServer}).
     *
     * @param port 0: any free port
     */
    public synchronized LocalLiveServer startLive(String host, int port) {
        if (live == null) {
            live = new LocalLiveServer(this, host, port);
        }
        return live;
    }

    /** The servers this stack runs on. */
    LocalServers servers() {
        return servers;
    }

    /** The stats function (the consumer of the devices and sync_events streams). */
    public StatsHandler statsHandler() {
        return stats;
    }

    /** The dead-letter queue of the sync-events queue, or null when it has none. */
    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    /**
     * Adds admin identity: the auth and users routes on this user pool, and API Gateway's JWT
     * authorizer (issuer = the pool, audience = its app client) in front of every other route but the
     * device route and the health check, for {@link #serve}.
     */
    public LocalPiSync withIdentity(LocalCognito cognito, LocalCognito.UserPool pool) {
        routes.add(AuthHandler.ROUTES, new AuthHandler(cognito.client(), pool.poolId(), pool.clientId(),
                new Cursors(cursorKey), new com.pisync.aws.dynamodb.DynamoAuditLog(dynamo, config.auditTable()), clock));
        publicRoutes.addAll(AuthHandler.PUBLIC_ROUTES);
        authorizer = new LocalJwtAuthorizer(pool.issuer(), List.of(pool.clientId()), tokenClock);
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

    /**
     * What SNS delivers to an SQS subscriber of a message published with {@code MessageStructure=json}: its
     * {@code sqs} entry (else {@code default}). fauxqs delivers the whole structure; AWS picks the entry.
     */
    public static String sqsMessage(String message) {
        try {
            JsonNode n = JSON.readTree(message);
            if (n.isObject() && n.path("default").isTextual() && !n.has("type")) {
                return n.path("sqs").isTextual() ? n.path("sqs").asText() : n.path("default").asText();
            }
        } catch (Exception notJson) {
            // a plain message: as it is
        }
        return message;
    }

    /** The raw SNS message (for tests of what e-mail subscribers get): the structure as published. */
    public List<JsonNode> publishedEnvelopes() {
        List<JsonNode> envelopes = new ArrayList<>();
        SqsClient reader = servers.subscriptionReader();
        for (int empty = 0; empty < 2; ) {
            int wait = empty == 0 ? 0 : 1;
            List<Message> got = reader.receiveMessage(r -> r.queueUrl(alertsQueueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(wait)).messages();
            if (got.isEmpty()) {
                empty++;
                continue;
            }
            for (Message m : got) {
                try {
                    envelopes.add(JSON.readTree(m.body()));
                } catch (Exception e) {
                    throw new IllegalStateException("not an SNS envelope: " + m.body(), e);
                }
                reader.deleteMessage(r -> r.queueUrl(alertsQueueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return envelopes;
    }

    /** Alert notifications SNS delivered since the last call, oldest first, with their attributes. */
    public List<JsonNode> publishedAlerts() {
        List<JsonNode> alerts = new ArrayList<>();
        SqsClient reader = servers.subscriptionReader();
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
                    ObjectNode alert = (ObjectNode) JSON.readTree(sqsMessage(envelope.get("Message").asText()));
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
