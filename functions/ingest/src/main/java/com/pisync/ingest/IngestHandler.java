package com.pisync.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import java.time.Clock;

/** The device-facing function: {@code POST /v1/sync-events} and {@code GET /health}. */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final SyncEventIngest ingest;

    /** Lambda's constructor: clients built once per container from the environment. */
    public IngestHandler() {
        this(new SyncEventIngest(DeviceAuthenticator.TRUST_BODY,
                new SyncEventQueue(AwsClients.fromEnvironment().sqs(),
                        PiSyncConfig.fromEnvironment().syncEventsQueueUrl()),
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
