package com.pisync.admin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.audit.AuditContext;
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
            "POST /v1/devices/{device_id}/sync-requests",
            "PUT /v1/sites/{site}",
            "POST /v1/subscriptions",
            "GET /v1/subscriptions",
            "DELETE /v1/subscriptions/{subscription_id}");

    private final DeviceAdmin admin;
    private final SiteAdmin sites;
    private final SubscriptionAdmin subscriptions;
    private final Clock clock;

    public AdminHandler() {
        this(AwsClients.fromEnvironment(), PiSyncConfig.fromEnvironment());
    }

    private AdminHandler(AwsClients clients, PiSyncConfig config) {
        this(clients.dynamoDb(), clients.sns(), config, DeviceTokens.fromEnvironment(System.getenv()), Clock.systemUTC());
    }

    public AdminHandler(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, DeviceTokens tokens, Clock clock) {
        this.admin = DeviceAdmin.onDynamoDb(dynamo, sns, config, tokens, clock);
        this.sites = new SiteAdmin(dynamo, config, clock);
        this.subscriptions = new SubscriptionAdmin(sns, config.alertsTopicArn(),
                new com.pisync.aws.dynamodb.SubscriptionStore(dynamo, config.incidentsTable()),
                new com.pisync.aws.dynamodb.DynamoAuditLog(dynamo, config.auditTable()), clock);
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return HttpApi.handle(request, () -> {
            Caller caller = Caller.authorize(request, false); // every route here changes something: admins only
            String route = HttpApi.route(request);
            String deviceId = route.contains("{device_id}") ? PathParams.deviceId(request) : null;
            if (caller.siteBound() && route.contains("/v1/devices")) {
                // An admin bound to sites acts on their sites' devices only: another site's device is not found,
                // a device may not be registered at or moved to another site.
                admin.checkScope(caller, deviceId, request);
            }
            if (caller.siteBound() && route.equals("PUT /v1/sites/{site}")
                    && !caller.canSee(request.getPathParameters() == null ? null : request.getPathParameters().get("site"))) {
                throw new ApiProblem(403, "/problems/forbidden", "Forbidden",
                        "Your account is bound to other sites; it cannot change this site's profile.",
                        List.of(new com.pisync.domain.FieldError("site", "must be one of your sites")));
            }
            if (route.contains("/v1/subscriptions")) {
                caller.requireFleetAdmin("manage subscriptions");
            }
            AuditContext audit = AuditContext.of(request, clock); // every change is recorded with who, when, where
            return switch (route) {
                case "POST /v1/devices" -> admin.register(HttpApi.jsonBody(HttpApi.bodyBytes(request)), audit);
                case "PATCH /v1/devices/{device_id}" ->
                        admin.patch(deviceId, HttpApi.jsonBody(HttpApi.bodyBytes(request)), audit);
                case "DELETE /v1/devices/{device_id}" -> admin.decommission(deviceId, audit);
                case "POST /v1/devices/{device_id}/token" -> admin.rotateToken(deviceId, audit);
                case "POST /v1/devices/{device_id}/sync-requests" ->
                        admin.requestSync(deviceId, HttpApi.bodyBytes(request), audit);
                case "PUT /v1/sites/{site}" ->
                        sites.put(SiteAdmin.siteParam(request), HttpApi.jsonBody(HttpApi.bodyBytes(request)), audit);
                case "POST /v1/subscriptions" ->
                        subscriptions.create(HttpApi.jsonBody(HttpApi.bodyBytes(request)), audit);
                case "GET /v1/subscriptions" -> subscriptions.list();
                case "DELETE /v1/subscriptions/{subscription_id}" -> subscriptions.delete(request, audit);
                default -> throw ApiProblem.notFound("No route " + route + ".");
            };
        });
    }
}
