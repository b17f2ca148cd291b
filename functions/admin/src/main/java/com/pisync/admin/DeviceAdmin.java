package com.pisync.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.observability.Log;
import com.pisync.aws.ports.AuditEntries;
import com.pisync.aws.ports.DeviceCommits;
import com.pisync.aws.ports.DeviceCredentials;
import com.pisync.aws.ports.DeviceRegistrar;
import com.pisync.aws.ports.OutboxPublisher;
import com.pisync.aws.ports.SiteNames;
import com.pisync.aws.ports.SyncRequestQueue;
import com.pisync.aws.views.Views;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.FieldError;
import com.pisync.domain.SyncRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** What an admin can change about a device, with the answers the contract gives. */
final class DeviceAdmin {

    private static final Log LOG = Log.of("admin");

    private final DeviceRegistrar registry;
    private final SiteNames sites;
    private final DeviceCredentials credentials;
    private final DeviceCommits devices;
    private final SyncRequestQueue syncRequests;
    private final OutboxPublisher outbox;
    private final Views.StatusPolicy policy;
    private final DeviceTokens tokens;
    private final AuditEntries audit;
    private final Clock clock;

    DeviceAdmin(DeviceAdminPorts ports, Views.StatusPolicy policy, DeviceTokens tokens, Clock clock) {
        this.registry = ports.registry();
        this.sites = ports.sites();
        this.credentials = ports.credentials();
        this.devices = ports.devices();
        this.syncRequests = ports.syncRequests();
        this.outbox = ports.outbox();
        this.audit = ports.audit();
        this.policy = policy;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** On DynamoDB and SNS: the function's wiring, once per container. */
    static DeviceAdmin onDynamoDb(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, DeviceTokens tokens,
            Clock clock) {
        return new DeviceAdmin(DeviceAdminPorts.onDynamoDb(dynamo, sns, config, clock),
                new Views.StatusPolicy(config.failureThreshold(), config.offlineWindow()), tokens, clock);
    }

    APIGatewayV2HTTPResponse register(JsonNode body, AuditContext context) {
        DeviceProfile profile = DeviceProfile.parseNew(body);
        sites.ensureNamed(profile.site(), clock.instant()); // a site exists as soon as a device names it
        Device device = registry.register(profile, context);
        if (device == null) {
            throw new ApiProblem(409, "/problems/conflict", "The device exists",
                    "A device '" + profile.deviceId() + "' is already registered.", List.of());
        }
        long version = device.tokenVersion();
        credentials.putCredential(profile.deviceId(), version, false);
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.set("device", Views.device(device, policy, clock.instant()));
        n.put("device_token", tokens.issue(profile.deviceId(), version));
        return HttpApi.json(201, n);
    }

    APIGatewayV2HTTPResponse patch(String deviceId, JsonNode body, AuditContext context) {
        DeviceProfile change = DeviceProfile.parsePatch(body);
        if (change.site() != null) {
            sites.ensureNamed(change.site(), clock.instant());
        }
        Device device = registry.patch(deviceId, change, context);
        if (device == null) {
            throw notFound(deviceId);
        }
        return HttpApi.json(200, Views.device(device, policy, clock.instant()));
    }

    APIGatewayV2HTTPResponse decommission(String deviceId, AuditContext context) {
        DeviceRegistrar.Outcome outcome = registry.decommission(deviceId, context);
        if (outcome == DeviceRegistrar.Outcome.NOT_FOUND) {
            throw notFound(deviceId);
        }
        // Its token stops working: the ingest function reads this with the device's sync requests.
        credentials.putCredential(deviceId, registry.get(deviceId, true).tokenVersion(), true);
        // Its open alert resolved in the same commit; announce it. A failed publish leaves the entry in the
        // outbox and the device in the pending_alerts index: the sweeper retries it (PendingAlertSweep).
        try {
            outbox.flush(deviceId, devices.load(deviceId, true).outbox());
        } catch (RuntimeException e) {
            LOG.warn("alert publish deferred to the sweeper", Map.of("device_id", deviceId), e);
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of("Cache-Control", "no-store"))
                .build();
    }

    APIGatewayV2HTTPResponse rotateToken(String deviceId, AuditContext context) {
        DeviceRegistrar.Credential credential = registry.rotateToken(deviceId, context);
        if (credential.outcome() == DeviceRegistrar.Outcome.NOT_FOUND) {
            throw notFound(deviceId);
        }
        if (credential.outcome() == DeviceRegistrar.Outcome.DECOMMISSIONED) {
            throw decommissioned(deviceId);
        }
        credentials.putCredential(deviceId, credential.version(), false);
        return HttpApi.json(200, HttpApi.JSON.createObjectNode()
                .put("device_token", tokens.issue(deviceId, credential.version())));
    }

    APIGatewayV2HTTPResponse requestSync(String deviceId, byte[] body, AuditContext context) {
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
        Device device = registry.get(deviceId, false);
        if (device == null || !device.registered()) {
            throw notFound(deviceId);
        }
        if (device.decommissioned()) {
            throw decommissioned(deviceId);
        }
        Instant now = context.at();
        AuditEntry replayed = audit.get(context.entry("sync_request.create", "device", deviceId, null, null).auditId());
        if (replayed != null && replayed.after() != null) {
            return HttpApi.json(202, replayed.after()); // this very request queued one already (a retry)
        }
        if (syncRequests.openCount(deviceId, now) >= SyncRequestQueue.MAX_OPEN) {
            throw new ApiProblem(409, "/problems/conflict", "Too many open sync requests",
                    "Device '" + deviceId + "' already has " + SyncRequestQueue.MAX_OPEN
                            + " open sync requests; wait until it answers them.", List.of());
        }
        SyncRequest request = SyncRequest.queue(deviceId, now, ttl);
        ObjectNode view = Views.syncRequest(request, now);
        if (!syncRequests.queue(request,
                context.entry("sync_request.create", "device", deviceId, null, view))) {
            AuditEntry first = audit.get(context.entry("sync_request.create", "device", deviceId, null, null).auditId());
            return HttpApi.json(202, first == null || first.after() == null ? view : first.after());
        }
        return HttpApi.json(202, view);
    }

    /**
     * For an admin bound to sites: 404 for a device of another site (as if unknown), 403 naming {@code site} for a
     * body that registers a device at, or moves one to, another site.
     */
    void checkScope(com.pisync.aws.auth.Caller caller, String deviceId,
            com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent request) {
        if (deviceId != null) {
            Device device = registry.get(deviceId, true);
            if (device == null || !caller.canSee(device.site())) {
                throw notFound(deviceId);
            }
        }
        byte[] bytes = HttpApi.bodyBytes(request);
        if (bytes.length == 0) {
            return;
        }
        JsonNode body;
        try {
            body = HttpApi.JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            return; // the route itself answers 400
        }
        JsonNode site = body == null ? null : body.get("site");
        if (site != null && site.isTextual() && !caller.canSee(site.asText().strip())) {
            throw new ApiProblem(403, "/problems/forbidden", "Forbidden", "Your account is bound to sites "
                    + new java.util.TreeSet<>(caller.sites()) + "; it cannot put a device at site '" + site.asText()
                    + "'.", List.of(new FieldError("site", "must be one of your sites")));
        }
    }

    private static ApiProblem notFound(String deviceId) {
        return ApiProblem.notFound("No device '" + deviceId + "'.");
    }

    private static ApiProblem decommissioned(String deviceId) {
        return new ApiProblem(409, "/problems/conflict", "The device is decommissioned",
                "Device '" + deviceId + "' is decommissioned.", List.of());
    }
}
