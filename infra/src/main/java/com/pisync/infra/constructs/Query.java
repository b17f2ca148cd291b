package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import com.pisync.infra.StageConfig.Throttle;
import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The dashboard's read-only function behind every {@code GET /v1/...} dashboard route, and the secret
 * that signs its pagination cursors.
 *
 * <p>{@code CURSOR_SIGNING_KEY} is a generated Secrets Manager secret passed into the function's
 * environment as a CloudFormation dynamic reference: CloudFormation resolves it at deploy time, so the
 * function needs no Secrets Manager permission and no call on a cold start. Trade-off: the resolved
 * value is part of the function configuration, readable by any principal allowed
 * {@code lambda:GetFunctionConfiguration}. Acceptable for a key that only makes cursors tamper-evident
 * (it guards no data: every route behind it is an admin read); a changed secret is picked up at the next
 * deployment that updates the function, and invalidates outstanding cursors. The auth function gets the
 * same key for its {@code GET /v1/users} cursors.
 */
public final class Query extends Construct {

    public static final String HANDLER = "com.pisync.query.QueryHandler::handleRequest";
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(10);
    public static final String EXPORT_ROUTE = "GET /v1/sync-events/export";
    public static final String AUDIT_EXPORT_ROUTE = "GET /v1/audit/export";
    /** Mirrors {@code com.pisync.query.QueryHandler.ROUTES} (RoutesMatchCodeTest compares them). */
    public static final List<String> ROUTES = List.of(
            "GET /v1/devices",
            "GET /v1/devices/failing",
            "GET /v1/devices/repeated-failures",
            "GET /v1/devices/at-risk",
            "GET /v1/sites",
            "GET /v1/sites/{site}",
            "GET /v1/incidents",
            "GET /v1/incidents/{incident_id}",
            "GET /v1/devices/{device_id}",
            "GET /v1/devices/{device_id}/sync-events",
            "GET /v1/devices/{device_id}/sync-requests",
            "GET /v1/sync-errors",
            EXPORT_ROUTE,
            "GET /v1/alerts",
            "GET /v1/stats/fleet",
            "GET /v1/audit",
            AUDIT_EXPORT_ROUTE);
    /** The export reads up to a whole history per request: a few per second are plenty for a dashboard. */
    public static final Throttle EXPORT_THROTTLE = new Throttle(2, 5);
    public static final int CURSOR_KEY_LENGTH = 48;

    private final Secret cursorSigningKey;
    private final LiveFunction query;

    public Query(Construct scope, String id, StageConfig config, FunctionFactory functions, Storage storage,
            Ingest api, IHttpRouteAuthorizer adminAuthorizer) {
        super(scope, id);

        cursorSigningKey = Secret.Builder.create(this, "CursorSigningKey")
                .description("PiSync " + config.stage() + ": HMAC key for the dashboard API's pagination cursors")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(CURSOR_KEY_LENGTH)
                        .excludePunctuation(true)
                        .build())
                .removalPolicy(config.statefulRemovalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(cursorSigningKey, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("The cursor signing key is resolved into the query and auth functions at deploy time, so "
                        + "rotation would not reach them until the next deployment; rotating it means redeploying "
                        + "(and only invalidates open pagination cursors). No rotation Lambda is warranted.")
                .build()));

        query = functions.create(this, "QueryFunction", new FunctionSpec(
                "query",
                HANDLER,
                "PiSync: read-only dashboard API (devices, history, errors, alerts, sync requests, fleet stats)",
                MEMORY_MB,
                TIMEOUT,
                functions.secretEnvironment("CURSOR_SIGNING_KEY", cursorSigningKey)));

        // Read-only, exactly what QueryHandler calls.
        var role = query.role();
        storage.grantTable(role, storage.devices(), "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query");
        // every device index but pending_alerts, which only the sweeper reads (unpublished alert retries)
        storage.grantIndexes(role, storage.devices(), storage.indexNames(storage.devices()).stream()
                .filter(index -> !index.equals(Storage.PENDING_ALERTS)).toList(), "dynamodb:Query");
        // BatchGetItem: the error lists read keys from the KEYS_ONLY errors indexes, then the events by key.
        storage.grantTable(role, storage.syncEvents(), "dynamodb:Query", "dynamodb:BatchGetItem");
        storage.grantAllIndexes(role, storage.syncEvents(), "dynamodb:Query");
        storage.grantAllIndexes(role, storage.alerts(), "dynamodb:Query");
        storage.grantTable(role, storage.syncRequests(), "dynamodb:Query");
        storage.grantTable(role, storage.stats(), "dynamodb:Query");
        storage.grantAllIndexes(role, storage.audit(), "dynamodb:Query");
        storage.grantTable(role, storage.sites(), "dynamodb:GetItem");
        storage.grantAllIndexes(role, storage.sites(), "dynamodb:Query");
        // Site incidents: a site's state and an incident (GetItem), an incident's devices (Query), the lists.
        storage.grantTable(role, storage.incidents(), "dynamodb:GetItem", "dynamodb:Query");
        storage.grantAllIndexes(role, storage.incidents(), "dynamodb:Query");

        HttpLambdaIntegration integration = new HttpLambdaIntegration("QueryIntegration", query.alias());
        for (String route : ROUTES) {
            api.addDashboardRoute(route, integration,
                    route.equals(EXPORT_ROUTE) || route.equals(AUDIT_EXPORT_ROUTE) ? EXPORT_THROTTLE
                            : config.apiDefaultThrottle(), adminAuthorizer);
        }
    }

    public LiveFunction query() {
        return query;
    }

    public Secret cursorSigningKey() {
        return cursorSigningKey;
    }
}
