package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig.Throttle;
import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.constructs.Construct;

/**
 * The dashboard's write function: register, edit, decommission devices, rotate their tokens, request
 * syncs. The only HTTP function with write access to the registry, and the one that issues device tokens
 * (signed with {@code DEVICE_TOKEN_KEY}; the credential item it writes to sync_requests is what the ingest
 * function checks them against).
 */
public final class Admin extends Construct {

    public static final String HANDLER = "com.pisync.admin.AdminHandler::handleRequest";
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(10);
    /** Mirrors {@code com.pisync.admin.AdminHandler.ROUTES} (RoutesMatchCodeTest compares them). */
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
    /** Humans at a dashboard: far below the device ingest rate. */
    public static final Throttle THROTTLE = new Throttle(10, 20);

    private final LiveFunction admin;

    public Admin(Construct scope, String id, FunctionFactory functions, Storage storage, Alerts alerts, Ingest api,
            DeviceTokenKey deviceTokenKey, IHttpRouteAuthorizer adminAuthorizer) {
        super(scope, id);

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ALERTS_TOPIC_ARN", alerts.topic().getTopicArn());
        environment.putAll(functions.secretEnvironment(DeviceTokenKey.ENVIRONMENT_NAME, deviceTokenKey.secret()));
        admin = functions.create(this, "AdminFunction", new FunctionSpec(
                "admin",
                HANDLER,
                "PiSync: dashboard admin API (device registry, tokens, sync requests)",
                MEMORY_MB,
                TIMEOUT,
                environment));

        // Exactly what AdminHandler calls (tables only). Decommissioning resolves an open alert through
        // the same outbox as the processor: devices UpdateItem, alerts PutItem, SNS publish. sync_requests
        // PutItem also writes the device's credential item (token version, revoked) on register, rotate and
        // decommission.
        var role = admin.role();
        storage.grantTable(role, storage.devices(), "dynamodb:GetItem", "dynamodb:UpdateItem");
        storage.grantTable(role, storage.syncRequests(), "dynamodb:PutItem", "dynamodb:Query");
        storage.grantTable(role, storage.alerts(), "dynamodb:PutItem");
        // Every change and its audit entry in one TransactWriteItems (append-only: PutItem, GetItem for retries).
        storage.grantAuditAppend(role);
        // Sites (v1.1): PUT replaces the profile (PutItem, GetItem for the audit's before); registering or moving a
        // device names its site (UpdateItem); the re-evaluation pages the site's devices (by_site, BatchGetItem);
        // the response carries the site's device counters (stats Query).
        storage.grantTable(role, storage.sites(), "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
        storage.grantTable(role, storage.devices(), "dynamodb:BatchGetItem");
        storage.grantIndexes(role, storage.devices(), List.of("by_site"), "dynamodb:Query");
        storage.grantTable(role, storage.stats(), "dynamodb:Query");
        alerts.grantPublish(role);
        // Site incidents (v1.1): the alert outbox asks whether the device's site is in incident (incidents GetItem)
        // and, for a recovery, whether the alert's opening was filed under one (alerts GetItem).
        storage.grantTable(role, storage.incidents(), "dynamodb:GetItem");
        storage.grantTable(role, storage.alerts(), "dynamodb:GetItem");
        // E-mail subscriptions (v1.1): SNS Subscribe/Unsubscribe/GetSubscriptionAttributes on the topic, and their
        // records in the incidents table's "subscriptions" partition only (dynamodb:LeadingKeys).
        alerts.grantManageSubscriptions(role);
        storage.grantPartitions(role, storage.incidents(), List.of(Storage.SUBSCRIPTIONS_PARTITION),
                "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query");

        HttpLambdaIntegration integration = new HttpLambdaIntegration("AdminIntegration", admin.alias());
        for (String route : ROUTES) {
            api.addDashboardRoute(route, integration, THROTTLE, adminAuthorizer);
        }
    }

    public LiveFunction admin() {
        return admin;
    }
}
