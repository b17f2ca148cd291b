package com.pisync.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.SnapStartPriming;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.observability.Log;
import com.pisync.aws.observability.Metrics;
import com.pisync.aws.queue.SyncEventMessages;
import com.pisync.domain.SyncUploadParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** The device-facing function: {@code POST /v1/sync-events} and {@code GET /health}. */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Every route this function serves, as API Gateway names them (the OpenAPI test checks them). */
    public static final java.util.List<String> ROUTES = java.util.List.of("POST /v1/sync-events", "GET /health");

    /** The device of the priming upload: never registered, so its upload is refused before the queue. */
    static final String PRIMING_DEVICE = "pisync-snapstart-priming";

    private static final Log LOG = Log.of("ingest");

    private final SyncEventIngest ingest;
    private final SnapStartPriming priming;

    /** Lambda's constructor: clients built once per container from the environment. */
    public IngestHandler() {
        this(AwsClients.fromEnvironment(), PiSyncConfig.fromEnvironment(), DeviceTokens.fromEnvironment(System.getenv()));
    }

    private IngestHandler(AwsClients clients, PiSyncConfig config, DeviceTokens tokens) {
        this(new SyncEventIngest(DeviceAuthenticator.signed(tokens),
                SyncEventQueue.of(clients.sqs(), config.syncEventsQueueUrl()),
                CommandInbox.of(new SyncRequestStore(clients.dynamoDb(), config.syncRequestsTable())),
                Clock.systemUTC()), tokens);
    }

    public IngestHandler(SyncEventIngest ingest) {
        this(ingest, null);
    }

    /** @param primingTokens signs the SnapStart priming upload's token (null: nothing to prime) */
    public IngestHandler(SyncEventIngest ingest, DeviceTokens primingTokens) {
        this.ingest = ingest;
        this.priming = primingTokens == null ? null
                : SnapStartPriming.register("ingest", () -> prime(primingTokens));
    }

    /** Runs what SnapStart runs before its snapshot; false when there is nothing to prime or it failed. */
    public boolean primeNow() {
        return priming != null && priming.primeNow();
    }

    /**
     * A signed upload of a device that does not exist takes the real path — token check, the inbox Query on
     * DynamoDB — and is refused (401) before anything is queued; what an accepted upload adds (validation, the
     * queue message) runs on the same sample without sending it.
     */
    private void prime(DeviceTokens tokens) {
        String sample = "{\"device_id\":\"" + PRIMING_DEVICE + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"total_files_synced\":12,\"total_errors\":0,\"internet_speed\":8.5}";
        var refused = handleRequest(SnapStartPriming.apiRequest("POST /v1/sync-events", "/v1/sync-events", Map.of(),
                Map.of("authorization", "Bearer " + tokens.issue(PRIMING_DEVICE, 1)), sample, null), null);
        SnapStartPriming.expect(refused.getStatusCode() == 401, "upload answered " + refused.getStatusCode());
        var upload = new SyncUploadParser(Clock.systemUTC()).parse(HttpApi.jsonBody(sample.getBytes(StandardCharsets.UTF_8)));
        SnapStartPriming.expect(!SyncEventMessages.pack(upload.accepted(), Instant.now()).isEmpty(), "no message");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        if (!"POST /v1/sync-events".equals(HttpApi.route(request))) {
            return HttpApi.handle(request, () -> switch (HttpApi.route(request)) {
                case "GET /health" -> HttpApi.json(200, HttpApi.JSON.createObjectNode().put("status", "ok"));
                default -> throw ApiProblem.notFound("No route " + HttpApi.route(request) + ".");
            });
        }
        // An EMF document only for an upload that refused something: events rejected inside it, or the whole
        // upload (400, 413). Accepted events are counted by the processor, once per batch (EventsQueued): a
        // document per accepted upload would be the largest log line item of the event path. Authentication
        // failures are not uploads (API Gateway's 4xx metrics show them).
        Metrics metrics = Metrics.of("ingest", LOG.withRequestId(requestId(request, context)));
        APIGatewayV2HTTPResponse response = HttpApi.handle(request, () -> ingest.accept(request, metrics));
        int status = response.getStatusCode();
        if (status == 400 || status == 413) {
            metrics.count(Metrics.UPLOADS_REJECTED, 1);
        }
        metrics.flush();
        return response;
    }

    /** API Gateway's request id (the one a client can quote), else Lambda's. */
    private static String requestId(APIGatewayV2HTTPEvent request, Context context) {
        if (request != null && request.getRequestContext() != null && request.getRequestContext().getRequestId() != null) {
            return request.getRequestContext().getRequestId();
        }
        return context == null ? null : context.getAwsRequestId();
    }
}
