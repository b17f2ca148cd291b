package com.pisync.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.alerts.AlertOutbox;
import com.pisync.aws.alerts.AlertPublisher;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.views.Views;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.FieldError;
import com.pisync.domain.SyncRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;

/** What an admin can change about a device, with the answers the contract gives. */
final class DeviceAdmin {

    private final DeviceRegistry registry;
    private final DeviceStore devices;
    private final SyncRequestStore syncRequests;
    private final AlertOutbox outbox;
    private final Views.StatusPolicy policy;
    private final DeviceTokens tokens;
    private final Clock clock;

    DeviceAdmin(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, DeviceTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.registry = new DeviceRegistry(dynamo, config.devicesTable());
        this.devices = new DeviceStore(dynamo, config.devicesTable());
        this.syncRequests = new SyncRequestStore(dynamo, config.syncRequestsTable());
        this.outbox = new AlertOutbox(devices, new AlertStore(dynamo, config.alertsTable()),
                new AlertPublisher(sns, config.alertsTopicArn()), clock);
        this.policy = new Views.StatusPolicy(config.failureThreshold(), config.offlineWindow());
        this.clock = clock;
    }

    APIGatewayV2HTTPResponse register(JsonNode body) {
        DeviceProfile profile = DeviceProfile.parseNew(body);
        Map<String, AttributeValue> item = registry.register(profile, clock.instant());
        if (item == null) {
            throw new ApiProblem(409, "/problems/conflict", "The device exists",
                    "A device '" + profile.deviceId() + "' is already registered.", List.of());
        }
        long version = Long.parseLong(item.get(DeviceItems.TOKEN_VERSION).n());
        syncRequests.putCredential(profile.deviceId(), version, false);
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.set("device", Views.device(item, policy, clock.instant()));
        n.put("device_token", tokens.issue(profile.deviceId(), version));
        return HttpApi.json(201, n);
    }

    APIGatewayV2HTTPResponse patch(String deviceId, JsonNode body) {
        DeviceProfile change = DeviceProfile.parsePatch(body);
        Map<String, AttributeValue> item = registry.patch(deviceId, change);
        if (item == null) {
            throw notFound(deviceId);
        }
        return HttpApi.json(200, Views.device(item, policy, clock.instant()));
    }

    APIGatewayV2HTTPResponse decommission(String deviceId) {
        DeviceRegistry.Outcome outcome = registry.decommission(deviceId, clock.instant());
        if (outcome == DeviceRegistry.Outcome.NOT_FOUND) {
            throw notFound(deviceId);
        }
        // Its token stops working: the ingest function reads this with the device's sync requests.
        Map<String, AttributeValue> item = registry.get(deviceId, true);
        syncRequests.putCredential(deviceId, Long.parseLong(item.get(DeviceItems.TOKEN_VERSION).n()), true);
        // Its open alert resolved in the same commit; announce it (a failed publish is retried by the
        // next sweep or event of the device — the entry stays in the outbox).
        try {
            outbox.flush(deviceId, devices.load(deviceId).outbox());
        } catch (RuntimeException e) {
            System.err.println("{\"level\":\"WARN\",\"message\":\"alert publish deferred\",\"device_id\":\""
                    + deviceId + "\"}");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of("Cache-Control", "no-store"))
                .build();
    }

    APIGatewayV2HTTPResponse rotateToken(String deviceId) {
        DeviceRegistry.Credential credential = registry.rotateToken(deviceId);
        if (credential.outcome() == DeviceRegistry.Outcome.NOT_FOUND) {
            throw notFound(deviceId);
        }
        if (credential.outcome() == DeviceRegistry.Outcome.DECOMMISSIONED) {
            throw decommissioned(deviceId);
        }
        syncRequests.putCredential(deviceId, credential.version(), false);
        return HttpApi.json(200, HttpApi.JSON.createObjectNode()
                .put("device_token", tokens.issue(deviceId, credential.version())));
    }

    APIGatewayV2HTTPResponse requestSync(String deviceId, byte[] body) {
        Duration ttl = SyncRequest.DEFAULT_TTL;
        if (body.length > 0) {
            JsonNode json = HttpApi.jsonBody(body);
            JsonNode seconds = json.get("ttl_seconds");
            if (seconds != null && !seconds.isNull()) {
                if (!seconds.canConvertToLong() || !seconds.isIntegralNumber()
                        || seconds.longValue() < SyncRequest.MIN_TTL.toSeconds()
                        || seconds.longValue() > SyncRequest.MAX_TTL.toSeconds()) {
                    throw ApiProblem.badRequest("The sync request is invalid.", List.of(new FieldError("ttl_seconds",
                            "must be an integer between " + SyncRequest.MIN_TTL.toSeconds() + " and "
                                    + SyncRequest.MAX_TTL.toSeconds())));
                }
                ttl = Duration.ofSeconds(seconds.longValue());
            }
        }
        Map<String, AttributeValue> item = registry.get(deviceId, false);
        if (!DeviceRegistry.registered(item)) {
            throw notFound(deviceId);
        }
        if (item.containsKey(DeviceItems.DECOMMISSIONED_AT)) {
            throw decommissioned(deviceId);
        }
        Instant now = clock.instant();
        if (syncRequests.open(deviceId, now).size() >= SyncRequestStore.MAX_OPEN) {
            throw new ApiProblem(409, "/problems/conflict", "Too many open sync requests",
                    "Device '" + deviceId + "' already has " + SyncRequestStore.MAX_OPEN
                            + " open sync requests; wait until it answers them.", List.of());
        }
        SyncRequest request = SyncRequest.queue(deviceId, now, ttl);
        syncRequests.create(request);
        return HttpApi.json(202, Views.syncRequest(request, now));
    }

    private static ApiProblem notFound(String deviceId) {
        return ApiProblem.notFound("No device '" + deviceId + "'.");
    }

    private static ApiProblem decommissioned(String deviceId) {
        return new ApiProblem(409, "/problems/conflict", "The device is decommissioned",
                "Device '" + deviceId + "' is decommissioned.", List.of());
    }
}
