package com.pisync.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.observability.Metrics;
import com.pisync.aws.queue.SyncEventMessages;
import com.pisync.aws.views.Views;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.domain.DeviceId;
import com.pisync.domain.FieldError;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncRequest;
import com.pisync.domain.SyncUpload;
import com.pisync.domain.SyncUploadParser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/sync-events}: authenticate, validate, queue the valid events, answer 202 with what
 * was accepted and rejected. Accepted means on the queue: the processor stores it exactly once.
 */
public final class SyncEventIngest {

    public static final int MAX_BODY_BYTES = 512 * 1024;

    private final DeviceAuthenticator authenticator;
    private final SyncUploadParser parser;
    private final SyncEventQueue queue;
    private final CommandInbox commands;
    private final Clock clock;

    public SyncEventIngest(DeviceAuthenticator authenticator, SyncEventQueue queue, CommandInbox commands, Clock clock) {
        this.authenticator = authenticator;
        this.parser = new SyncUploadParser(clock);
        this.queue = queue;
        this.commands = commands;
        this.clock = clock;
    }

    public APIGatewayV2HTTPResponse accept(APIGatewayV2HTTPEvent request) {
        return accept(request, new Metrics("ingest", null));
    }

    /**
     * Takes an upload, counting in {@code metrics} the events refused in a partly valid upload
     * ({@code EventsRejected}); the events queued are counted when the processor first receives them.
     */
    public APIGatewayV2HTTPResponse accept(APIGatewayV2HTTPEvent request, Metrics metrics) {
        byte[] body = HttpApi.bodyBytes(request);
        if (body.length > MAX_BODY_BYTES) {
            throw ApiProblem.payloadTooLarge(MAX_BODY_BYTES);
        }
        Instant receivedAt = receivedAt(request);
        DeviceTokens.Credential credential = authenticator.authenticate(request);
        SyncRequestStore.Inbox inbox = null;
        if (credential != null) {
            // The one read of the upload: the device's open sync requests and its credential version.
            inbox = commands.read(credential.deviceId(), receivedAt);
            if (!inbox.accepts(credential.version())) {
                throw DeviceAuthenticator.unauthorized(inbox.revoked()
                        ? "This device is decommissioned; its token no longer works."
                        : "This device token was replaced; use the device's current token.");
            }
        }
        JsonNode json = HttpApi.jsonBody(body);
        if (credential != null) {
            requireOwnDevice(json, credential.deviceId());
        }
        SyncUpload upload = parser.parse(json);

        // A device retrying inside one upload sends an event twice: queue it once, list it twice.
        Map<String, SyncEvent> unique = new LinkedHashMap<>();
        for (SyncEvent e : upload.accepted()) {
            unique.putIfAbsent(e.deviceId() + "\n" + e.eventId(), e);
        }
        List<SyncEvent> byDevice = new ArrayList<>(unique.values());
        byDevice.sort(java.util.Comparator.comparing(SyncEvent::deviceId)); // stable: request order within a device
        queue.send(SyncEventMessages.pack(byDevice, receivedAt));
        if (!upload.rejected().isEmpty()) {
            metrics.count(Metrics.EVENTS_REJECTED, upload.rejected().size());
        }

        if (inbox == null) {
            // Without tokens (local pipeline tests), the device is the one the events name, if only one.
            boolean oneDevice = byDevice.stream().map(SyncEvent::deviceId).distinct().count() == 1;
            inbox = oneDevice ? commands.read(byDevice.get(0).deviceId(), receivedAt) : null;
        }
        List<SyncRequest> pending = inbox == null ? List.of() : inbox.open();
        for (SyncRequest r : pending) {
            if (r.status() == SyncRequest.Status.QUEUED) {
                commands.delivered(r.deviceId(), r, receivedAt);
            }
        }
        return HttpApi.json(202, response(upload, pending));
    }

    /**
     * Every event must be the token's device's, or the whole upload is refused (403). Only well-formed
     * ids count here: one that could be no device's id (a Cyrillic look-alike, a trailing space) is an
     * invalid event, refused by the parser with a 400 (or a rejected entry) naming device_id.
     */
    private static void requireOwnDevice(JsonNode json, String deviceId) {
        List<JsonNode> events = new ArrayList<>();
        if (json.has("events") && json.get("events").isArray()) {
            json.get("events").forEach(events::add);
        } else {
            events.add(json);
        }
        for (JsonNode e : events) {
            JsonNode id = e.get("device_id");
            if (id != null && id.isTextual() && DeviceId.isValid(id.textValue()) && !id.textValue().equals(deviceId)) {
                throw new ApiProblem(403, "/problems/forbidden", "Forbidden",
                        "A device token may only post events of its own device ('" + deviceId + "').",
                        List.of(new FieldError("device_id", "must be the device of the token")));
            }
        }
    }

    /** The server time of the upload: API Gateway's, so every function agrees on it. */
    private Instant receivedAt(APIGatewayV2HTTPEvent request) {
        if (request.getRequestContext() != null && request.getRequestContext().getTimeEpoch() > 0) {
            return Instant.ofEpochMilli(request.getRequestContext().getTimeEpoch());
        }
        return clock.instant();
    }

    private static ObjectNode response(SyncUpload upload, List<SyncRequest> pending) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        ArrayNode accepted = n.putArray("accepted");
        upload.accepted().forEach(e -> accepted.add(e.eventId()));
        ArrayNode rejected = n.putArray("rejected");
        for (SyncUpload.Rejection r : upload.rejected()) {
            ObjectNode item = rejected.addObject();
            item.put("index", r.index());
            item.set("errors", HttpApi.fieldErrors(r.errors()));
        }
        ArrayNode commands = n.putArray("commands");
        pending.forEach(r -> commands.add(Views.command(r)));
        return n;
    }
}
