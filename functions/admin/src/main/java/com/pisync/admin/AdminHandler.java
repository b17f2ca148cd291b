package com.pisync.admin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.http.PathParams;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The dashboard's write function: registering, editing and decommissioning devices, rotating their
 * tokens, requesting syncs. Separate from the read-only query function so that only this one holds
 * write permissions.
 */
public final class AdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Every route this function serves, as API Gateway names them (the OpenAPI test checks them). */
    public static final List<String> ROUTES = List.of(
            "POST /v1/devices",
            "PATCH /v1/devices/{device_id}",
            "DELETE /v1/devices/{device_id}",
            "POST /v1/devices/{device_id}/token",
            "POST /v1/devices/{device_id}/sync-requests");

    private final DeviceAdmin admin;

    public AdminHandler() {
        this(AwsClients.fromEnvironment(), PiSyncConfig.fromEnvironment());
    }

    private AdminHandler(AwsClients clients, PiSyncConfig config) {
        this(clients.dynamoDb(), clients.sns(), config, DeviceTokens.fromEnvironment(System.getenv()), Clock.systemUTC());
    }

    public AdminHandler(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, DeviceTokens tokens, Clock clock) {
        this.admin = new DeviceAdmin(dynamo, sns, config, tokens, clock);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return HttpApi.handle(request, () -> {
            Caller.authorize(request, false); // every route here changes something: admins only
            String route = HttpApi.route(request);
            String deviceId = route.contains("{device_id}") ? PathParams.deviceId(request) : null;
            return switch (route) {
                case "POST /v1/devices" -> admin.register(HttpApi.jsonBody(HttpApi.bodyBytes(request)));
                case "PATCH /v1/devices/{device_id}" -> admin.patch(deviceId, HttpApi.jsonBody(HttpApi.bodyBytes(request)));
                case "DELETE /v1/devices/{device_id}" -> admin.decommission(deviceId);
                case "POST /v1/devices/{device_id}/token" -> admin.rotateToken(deviceId);
                case "POST /v1/devices/{device_id}/sync-requests" -> admin.requestSync(deviceId, HttpApi.bodyBytes(request));
                default -> throw ApiProblem.notFound("No route " + route + ".");
            };
        });
    }
}
