package com.pisync.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import java.time.Clock;

/** The device-facing function: {@code POST /v1/sync-events} and {@code GET /health}. */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Every route this function serves, as API Gateway names them (the OpenAPI test checks them). */
    public static final java.util.List<String> ROUTES = java.util.List.of("POST /v1/sync-events", "GET /health");

    private final SyncEventIngest ingest;

    /** Lambda's constructor: clients built once per container from the environment. */
    public IngestHandler() {
        this(AwsClients.fromEnvironment(), PiSyncConfig.fromEnvironment());
    }

    private IngestHandler(AwsClients clients, PiSyncConfig config) {
        this(new SyncEventIngest(DeviceAuthenticator.signed(DeviceTokens.fromEnvironment(System.getenv())),
                new SyncEventQueue(clients.sqs(), config.syncEventsQueueUrl()),
                CommandInbox.of(new SyncRequestStore(clients.dynamoDb(), config.syncRequestsTable())),
                Clock.systemUTC()));
    }

    public IngestHandler(SyncEventIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return HttpApi.handle(request, () -> switch (HttpApi.route(request)) {
            case "POST /v1/sync-events" -> ingest.accept(request);
            case "GET /health" -> HttpApi.json(200, HttpApi.JSON.createObjectNode().put("status", "ok"));
            default -> throw ApiProblem.notFound("No route " + HttpApi.route(request) + ".");
        });
    }
}
