package com.pisync.bench.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.local.LocalPiSync;
import com.pisync.local.LocalServers;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real resources for one round of cold starts: fresh tables, queue and topic on the shared local servers
 * (the DynamoDB engine, ElasticMQ, fauxqs; a cognito-local user pool for the auth function), the devices the sample
 * events name registered through the admin routes, and the environment each function gets — what the CDK app
 * sets (table names, queue URL, topic ARN, keys, thresholds) plus the endpoints of the local servers.
 */
final class Fixture {

    static final String DEVICE_TOKEN_KEY = "coldstart-device-token-key-0123456789abcdef";
    static final String CURSOR_SIGNING_KEY = "coldstart-cursor-signing-key-0123";
    /** The user the sample login event signs in as. */
    static final String ADMIN_USER = "amina.otieno";
    static final String ADMIN_PASSWORD = "correct-Horse-battery-staple-7";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCognito.UserPool pool;

    private final Path events;
    private final LocalPiSync stack;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> deviceTokens = new LinkedHashMap<>();

    /** @param repo the repository root (holds {@code events/}) */
    Fixture(Path repo) {
        this.events = repo.resolve("events");
        TestBed bed = TestBed.shared();
        this.stack = new LocalPiSync(LocalServers.of(bed), new LocalPiSync.Settings()
                .requireDeviceTokens(true)
                .keys(DEVICE_TOKEN_KEY.getBytes(StandardCharsets.UTF_8), CURSOR_SIGNING_KEY.getBytes(StandardCharsets.UTF_8)));
        LocalCognito.UserPool userPool = userPool(bed);

        // The devices of the sample events (ingest, processor, query) exist at one site, as in production.
        for (String device : List.of("pibook-0042", "pibox-0007")) {
            JsonNode registered = stack.json("POST", "/v1/devices", "{\"device_id\":\"" + device
                    + "\",\"name\":\"" + device + "\",\"type\":\"" + (device.startsWith("pibox") ? "PiBox" : "PiBook")
                    + "\",\"site\":\"school-nairobi-04\"}", 201);
            deviceTokens.put(device, registered.path("device_token").asText());
        }

        var config = stack.config;
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "local");
        environment.put("AWS_SECRET_ACCESS_KEY", "local");
        environment.put("AWS_SESSION_TOKEN", "local-session");
        environment.put("DEVICES_TABLE", config.devicesTable());
        environment.put("SYNC_EVENTS_TABLE", config.syncEventsTable());
        environment.put("ALERTS_TABLE", config.alertsTable());
        environment.put("SYNC_REQUESTS_TABLE", config.syncRequestsTable());
        environment.put("STATS_TABLE", config.statsTable());
        environment.put("AUDIT_TABLE", config.auditTable());
        environment.put("SITES_TABLE", config.sitesTable());
        environment.put("LIVE_TABLE", config.liveTable());
        environment.put("INCIDENTS_TABLE", config.incidentsTable());
        environment.put("SYNC_EVENTS_QUEUE_URL", config.syncEventsQueueUrl());
        environment.put("ALERTS_TOPIC_ARN", config.alertsTopicArn());
        environment.put("FAILURE_THRESHOLD", "3");
        environment.put("OFFLINE_AFTER_MINUTES", Long.toString(config.offlineWindow().toMinutes()));
        environment.put("HISTORY_RETENTION_DAYS", Long.toString(config.historyRetention().toDays()));
        environment.put("DEVICE_TOKEN_KEY", DEVICE_TOKEN_KEY);
        environment.put("CURSOR_SIGNING_KEY", CURSOR_SIGNING_KEY);
        environment.put("COGNITO_USER_POOL_ID", userPool.poolId());
        environment.put("COGNITO_CLIENT_ID", userPool.clientId());
        environment.put("DYNAMODB_ENDPOINT", bed.dynamoDb().endpoint().toString());
        environment.put("SQS_ENDPOINT", bed.sqs().endpoint().toString());
        environment.put("SNS_ENDPOINT", bed.sns().endpoint().toString());
        environment.put("COGNITO_ENDPOINT", bed.cognito().endpoint().toString());
    }

    private static synchronized LocalCognito.UserPool userPool(TestBed bed) {
        if (pool == null) {
            LocalCognito cognito = bed.cognito();
            pool = cognito.createPool("pisync-coldstart");
            cognito.createUser(pool, ADMIN_USER, ADMIN_PASSWORD, "admin");
        }
        return pool;
    }

    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** The sample event a function's first invocation gets, adjusted to this fixture's resources. */
    String event(String function) {
        return switch (function) {
            // A device's upload, with the token PiSync issued it (the sample carries a placeholder).
            case "ingest" -> withHeader(read("ingest/post-sync-event.json"), "authorization",
                    "Bearer " + deviceTokens.get("pibook-0042"));
            case "processor" -> read("processor/sqs-sync-events-batch.json");
            case "query" -> read("query/get-devices.json");
            // API Gateway gives every request its own id; the admin route's audit entry (and the transaction's
            // idempotency token) derive from it, so each round's registration must carry a new one.
            case "admin" -> withRequestId(read("admin/post-device.json"), "coldstart-" + java.util.UUID.randomUUID());
            case "auth" -> read("auth/post-auth-login.json");
            case "stats" -> read("stats/dynamodb-stream-sync-events.json")
                    .replace(":table/pisync-sync-events/", ":table/" + stack.config.syncEventsTable() + "/")
                    .replace(":table/pisync-devices/", ":table/" + stack.config.devicesTable() + "/");
            case "sweeper" -> read("sweeper/scheduled-event.json");
            case "hello-world" -> read("ingest/get-health.json");
            default -> throw new IllegalArgumentException("no event for " + function);
        };
    }

    /** Sample events per function, as named in {@link #event}. */
    static String eventFile(String function) {
        return switch (function) {
            case "ingest" -> "events/ingest/post-sync-event.json (real device token)";
            case "processor" -> "events/processor/sqs-sync-events-batch.json";
            case "query" -> "events/query/get-devices.json";
            case "admin" -> "events/admin/post-device.json";
            case "auth" -> "events/auth/post-auth-login.json";
            case "stats" -> "events/stats/dynamodb-stream-sync-events.json (stream ARN → fixture table)";
            case "sweeper" -> "events/sweeper/scheduled-event.json";
            case "hello-world" -> "events/ingest/get-health.json";
            default -> "?";
        };
    }

    private String read(String name) {
        try {
            return Files.readString(events.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withRequestId(String event, String requestId) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(event);
            ((ObjectNode) root.get("requestContext")).put("requestId", requestId);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withHeader(String event, String name, String value) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(event);
            ((ObjectNode) root.get("headers")).put(name, value);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
