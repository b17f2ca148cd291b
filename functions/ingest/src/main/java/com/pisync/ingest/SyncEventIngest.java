package com.pisync.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.queue.SyncEventMessages;
import com.pisync.aws.views.Views;
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
        byte[] body = HttpApi.bodyBytes(request);
        if (body.length > MAX_BODY_BYTES) {
            throw ApiProblem.payloadTooLarge(MAX_BODY_BYTES);
        }
        String authenticated = authenticator.authenticate(request);
        JsonNode json = HttpApi.jsonBody(body);
        SyncUpload upload = parser.parse(json);

        // A device retrying inside one upload sends an event twice: queue it once, list it twice.
        Map<String, SyncEvent> unique = new LinkedHashMap<>();
        for (SyncEvent e : upload.accepted()) {
            unique.putIfAbsent(e.deviceId() + "\n" + e.eventId(), e);
        }
        List<SyncEvent> byDevice = new ArrayList<>(unique.values());
        byDevice.sort(java.util.Comparator.comparing(SyncEvent::deviceId)); // stable: request order within a device
        Instant receivedAt = receivedAt(request);
        queue.send(SyncEventMessages.pack(byDevice, receivedAt));

        // Until device tokens, the device is the one the events name (when they name only one).
        String device = authenticated != null ? authenticated
                : byDevice.stream().map(SyncEvent::deviceId).distinct().count() == 1 ? byDevice.get(0).deviceId() : null;
        List<SyncRequest> pending = device == null ? List.of() : commands.deliver(device, receivedAt);
        return HttpApi.json(202, response(upload, pending));
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
