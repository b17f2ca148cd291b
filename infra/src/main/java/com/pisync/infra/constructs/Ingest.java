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
 * <p>The dashboard functions (query, admin) attach with {@link #addDashboardRoute}, which takes the
 * admin authorizer; {@link #addRoute} wires any integration, records a per-route throttle on the
 * stage, and makes the stage wait for the route. (The API lives in this construct for history: its
 * construct path, hence its logical id and URL, stays stable.)
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
    static final String NO_ADMIN_AUTHORIZER_REASON = "admin authorization arrives with the Cognito authorizer "
            + "(security issue); until then deploy only to dev";

    private final HttpApi api;
    private final HttpStage stage;
    private final LogGroup accessLogs;
    private final LiveFunction ingest;
    private final Map<String, CfnStage.RouteSettingsProperty> routeSettings = new LinkedHashMap<>();
    private final List<HttpRoute> routes = new ArrayList<>();

    public Ingest(Construct scope, String id, StageConfig config, FunctionFactory functions, IQueue queue,
            Storage storage) {
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
                .allowCredentials(false)
                .maxAge(Duration.hours(1))
                .build()));
        api = apiBuilder.build();

        accessLogs = LogGroup.Builder.create(this, "AccessLogs")
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

        ingest = functions.create(this, "IngestFunction", new FunctionSpec(
                "ingest",
                HANDLER,
                "PiSync: validates device sync reports and queues them",
                INGEST_MEMORY_MB,
                INGEST_TIMEOUT,
                Map.of("SYNC_EVENTS_QUEUE_URL", queue.getQueueUrl())));
        queue.grant(ingest.role(), "sqs:SendMessage"); // SendMessageBatch is authorised by sqs:SendMessage
        // The device's open sync requests are read and marked delivered in the ingest response (CommandInbox).
        storage.grantTable(ingest.role(), storage.syncRequests(), "dynamodb:Query", "dynamodb:UpdateItem");

        HttpLambdaIntegration integration = new HttpLambdaIntegration("IngestIntegration", ingest.alias());
        Throttle defaults = config.apiDefaultThrottle();
        addRoute(HttpMethod.POST, SYNC_EVENTS_PATH, integration, defaults);
        addRoute(HttpMethod.GET, HEALTH_PATH, integration, HEALTH_THROTTLE);

        // Device tokens are PiSync's own opaque bearer tokens, not IAM or JWT, so API Gateway cannot
        // check them: the ingest function authenticates /v1 requests itself (DeviceAuthenticator).
        // NOTE: today's ingest uses DeviceAuthenticator.TRUST_BODY (no token check) until the security
        // issue; the route is throttled but open. When Cognito/JWT arrives, admin routes get a real
        // authorizer via addDashboardRoute and lose their own suppression.
        NagSuppressions.addResourceSuppressions(List.copyOf(routes), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-APIG4")
                .reason("Device routes use PiSync's own device bearer tokens, verified inside the ingest function "
                        + "(DeviceAuthenticator), which API Gateway authorizers cannot check; GET /health is public "
                        + "by the API contract.")
                .build()), true);
    }

    /**
     * A dashboard route ({@code "GET /v1/devices"}): admin-only, so it takes the admin authorizer. Until
     * the security issue supplies one ({@code null}), the route is open and carries an AwsSolutions-APIG4
     * suppression saying so; with an authorizer the suppression goes away by itself.
     */
    public HttpRoute addDashboardRoute(String routeKey, HttpRouteIntegration integration, Throttle throttle,
            IHttpRouteAuthorizer authorizer) {
        String[] parts = routeKey.split(" ", 2);
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("route key must be 'METHOD /path', got '" + routeKey + "'");
        }
        HttpRoute route = addRoute(HttpMethod.valueOf(parts[0]), parts[1], integration, throttle, authorizer);
        if (authorizer == null) {
            NagSuppressions.addResourceSuppressions(route, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-APIG4")
                    .reason(NO_ADMIN_AUTHORIZER_REASON)
                    .build()), true);
        }
        return route;
    }

    /** Routes {@code method path} to an integration with its own throttle; the stage depends on the route. */
    public HttpRoute addRoute(HttpMethod method, String path, HttpRouteIntegration integration, Throttle throttle) {
        return addRoute(method, path, integration, throttle, null);
    }

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

    static final String ACCESS_LOG_FORMAT = "{"
            + "\"requestId\":\"$context.requestId\","
            + "\"requestTime\":\"$context.requestTime\","
            + "\"ip\":\"$context.identity.sourceIp\","
            + "\"userAgent\":\"$context.identity.userAgent\","
            + "\"routeKey\":\"$context.routeKey\","
            + "\"status\":\"$context.status\","
            + "\"protocol\":\"$context.protocol\","
            + "\"responseLength\":\"$context.responseLength\","
            + "\"responseLatency\":\"$context.responseLatency\","
            + "\"integrationStatus\":\"$context.integrationStatus\","
            + "\"integrationLatency\":\"$context.integrationLatency\","
            + "\"integrationError\":\"$context.integrationErrorMessage\","
            + "\"errorMessage\":\"$context.error.message\""
            + "}";
}
