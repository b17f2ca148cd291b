package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import com.pisync.infra.StageConfig.Throttle;
import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteIntegration;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The public HTTP API (payload v2, {@code $default} stage with throttling and JSON access logs) and
 * the ingest function behind {@code POST /v1/sync-events} and {@code GET /health}.
 *
 * <p>Every route is one of two kinds. {@link #addDashboardRoute}: an admin route, which requires the
 * admin (Cognito JWT) authorizer. {@link #addPublicRoute}: a route API Gateway does not authorize (device
 * routes, whose tokens the ingest function checks; health; sign-in), which must say why in its
 * AwsSolutions-APIG4 suppression. Both record a per-route throttle on the stage and make the stage wait
 * for the route. (The API lives in this construct for history: its construct path, hence its logical id
 * and URL, stays stable.)
 */
public final class Ingest extends Construct {

    public static final String HANDLER = "com.pisync.ingest.IngestHandler::handleRequest";
    public static final Duration INGEST_TIMEOUT = Duration.seconds(10);
    public static final int INGEST_MEMORY_MB = 512;
    public static final String SYNC_EVENTS_PATH = "/v1/sync-events";
    public static final String HEALTH_PATH = "/health";
    /** Mirrors {@code com.pisync.ingest.IngestHandler.ROUTES} (RoutesMatchCodeTest compares them). */
    public static final List<String> ROUTES = List.of("POST " + SYNC_EVENTS_PATH, "GET " + HEALTH_PATH);
    public static final Throttle HEALTH_THROTTLE = new Throttle(5, 10);
    /** Response headers a browser dashboard on another origin may read (the export's file name and cursor). */
    public static final List<String> CORS_EXPOSED_HEADERS = List.of("content-disposition", "x-next-cursor");
    static final String DEVICE_ROUTE_REASON = "Devices authenticate with PiSync's own HMAC-signed device tokens "
            + "(DEVICE_TOKEN_KEY), which no API Gateway authorizer can check: the ingest function verifies the "
            + "signature (DeviceAuthenticator) and the token's credential version against the device's credential "
            + "item in sync_requests before accepting anything.";
    static final String HEALTH_ROUTE_REASON = "GET /health is a public liveness probe by the API contract: it reads "
            + "no data and is throttled to 5 requests/s (burst 10).";

    private final HttpApi api;
    private final HttpStage stage;
    private final LogGroup accessLogs;
    private final LiveFunction ingest;
    private final Map<String, CfnStage.RouteSettingsProperty> routeSettings = new LinkedHashMap<>();
    private final List<HttpRoute> routes = new ArrayList<>();

    public Ingest(Construct scope, String id, StageConfig config, FunctionFactory functions, IQueue queue,
            Storage storage, DeviceTokenKey deviceTokenKey) {
        super(scope, id);

        HttpApi.Builder apiBuilder = HttpApi.Builder.create(this, "HttpApi")
                .apiName("pisync-" + config.stage())
                .description("PiSync " + config.stage() + " public API")
                .createDefaultStage(false);
        config.dashboardOrigin().ifPresent(origin -> apiBuilder.corsPreflight(CorsPreflightOptions.builder()
                .allowOrigins(List.of(origin))
                .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH,
                        CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS))
                .allowHeaders(List.of("authorization", "content-type"))
                .exposeHeaders(CORS_EXPOSED_HEADERS)
                .allowCredentials(false)
                .maxAge(Duration.hours(1))
                .build()));
        api = apiBuilder.build();

        // Infrequent Access: half the ingestion price of a line written for every device upload. Logs Insights
        // queries still work (all but pattern/diff/filterIndex/unmask); nothing reads this group with metric filters,
        // subscriptions or Live Tail, which the class lacks. (A class cannot change in place: an existing stack gets
        // a new group, the old one is retained.)
        accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .logGroupClass(software.amazon.awscdk.services.logs.LogGroupClass.INFREQUENT_ACCESS)
                .retention(FunctionFactory.LOG_RETENTION)
                .removalPolicy(config.statefulRemovalPolicy())
                .build();

        stage = api.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(throttle(config.apiDefaultThrottle()))
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public LogGroupLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
                    }
                })
                .build());

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SYNC_EVENTS_QUEUE_URL", queue.getQueueUrl());
        environment.putAll(functions.secretEnvironment(DeviceTokenKey.ENVIRONMENT_NAME, deviceTokenKey.secret()));
        ingest = functions.create(this, "IngestFunction", new FunctionSpec(
                "ingest",
                HANDLER,
                "PiSync: validates device sync reports and queues them",
                INGEST_MEMORY_MB,
                INGEST_TIMEOUT,
                environment));
        queue.grant(ingest.role(), "sqs:SendMessage"); // SendMessageBatch is authorised by sqs:SendMessage
        // The device's open sync requests, and its credential item (token version, revoked), are read by one
        // Query; delivered requests are marked in the ingest response (CommandInbox).
        storage.grantTable(ingest.role(), storage.syncRequests(), "dynamodb:Query", "dynamodb:UpdateItem");

        HttpLambdaIntegration integration = new HttpLambdaIntegration("IngestIntegration", ingest.alias());
        addPublicRoute("POST " + SYNC_EVENTS_PATH, integration, config.apiDefaultThrottle(), DEVICE_ROUTE_REASON);
        addPublicRoute("GET " + HEALTH_PATH, integration, HEALTH_THROTTLE, HEALTH_ROUTE_REASON);
    }

    /** An admin route ({@code "GET /v1/devices"}): requires {@code authorizer}, the admin JWT authorizer. */
    public HttpRoute addDashboardRoute(String routeKey, HttpRouteIntegration integration, Throttle throttle,
            IHttpRouteAuthorizer authorizer) {
        Objects.requireNonNull(authorizer, "admin routes require the admin authorizer: " + routeKey);
        return addRoute(routeKey, integration, throttle, authorizer);
    }

    /**
     * A route without an API Gateway authorizer ({@code "POST /v1/auth/login"}); {@code reason} says why,
     * in the route's AwsSolutions-APIG4 suppression.
     */
    public HttpRoute addPublicRoute(String routeKey, HttpRouteIntegration integration, Throttle throttle,
            String reason) {
        HttpRoute route = addRoute(routeKey, integration, throttle, null);
        NagSuppressions.addResourceSuppressions(route, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-APIG4")
                .reason(reason)
                .build()), true);
        return route;
    }

    private HttpRoute addRoute(String routeKey, HttpRouteIntegration integration, Throttle throttle,
            IHttpRouteAuthorizer authorizer) {
        String[] parts = routeKey.split(" ", 2);
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("route key must be 'METHOD /path', got '" + routeKey + "'");
        }
        return addRoute(HttpMethod.valueOf(parts[0]), parts[1], integration, throttle, authorizer);
    }

    /** Routes {@code method path} to an integration with its own throttle; the stage depends on the route. */
    private HttpRoute addRoute(HttpMethod method, String path, HttpRouteIntegration integration, Throttle throttle,
            IHttpRouteAuthorizer authorizer) {
        AddRoutesOptions.Builder options = AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(integration);
        if (authorizer != null) {
            options.authorizer(authorizer);
        }
        List<HttpRoute> added = api.addRoutes(options.build());
        HttpRoute route = added.get(0);
        routes.add(route);
        routeSettings.put(method.name() + " " + path, CfnStage.RouteSettingsProperty.builder()
                .throttlingRateLimit(throttle.rateLimit())
                .throttlingBurstLimit(throttle.burstLimit())
                .build());
        CfnStage cfnStage = (CfnStage) stage.getNode().getDefaultChild();
        cfnStage.setRouteSettings(new LinkedHashMap<>(routeSettings));
        stage.getNode().addDependency(route); // route settings fail on a route key that does not exist yet
        return route;
    }

    public HttpApi api() {
        return api;
    }

    public HttpStage stage() {
        return stage;
    }

    public LogGroup accessLogs() {
        return accessLogs;
    }

    public LiveFunction ingest() {
        return ingest;
    }

    public List<HttpRoute> routes() {
        return List.copyOf(routes);
    }

    private static ThrottleSettings throttle(Throttle t) {
        return ThrottleSettings.builder().rateLimit(t.rateLimit()).burstLimit(t.burstLimit()).build();
    }

    /**
     * One line per request, kept short because it is paid per byte for every device upload (≈ 120 bytes +
     * 26 of CloudWatch overhead: $0.07 per million requests at $0.50/GB; the 13-field line was ≈ 450). Enough
     * to trace a request, see who called what, and tell an API error (s, e) from a function error (is, ie). No
     * request time: CloudWatch stamps every log event, and the line is written as the request ends.
     * Every value is quoted: API Gateway writes "-" for a value it does not have.
     */
    public static final String ACCESS_LOG_FORMAT = "{"
            + "\"id\":\"$context.requestId\","
            + "\"ip\":\"$context.identity.sourceIp\","
            + "\"r\":\"$context.routeKey\","
            + "\"s\":\"$context.status\","
            + "\"ms\":\"$context.responseLatency\","
            + "\"is\":\"$context.integrationStatus\","
            + "\"ie\":\"$context.integrationErrorMessage\","
            + "\"e\":\"$context.error.message\""
            + "}";
}
