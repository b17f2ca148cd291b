package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRoute;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.FilterRule;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSourceProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Live updates (contract v1.1): {@code POST /v1/live/ticket} on the HTTP API (JWT authorizer, any role), an API
 * Gateway WebSocket API whose {@code $connect} consumes the single-use ticket and records the connection with the
 * user's sites, and a fan-out function on the devices, alerts, sync_requests and incidents streams that posts each change to
 * the connections allowed to see its site (Management API, {@code execute-api:ManageConnections} on this API's
 * stage only).
 *
 * <p>Three functions from one package, each with only its grants: ticket (PutItem on the live table), connect
 * (the ticket's DeleteItem, the connection's PutItem, Query + DeleteItem on $disconnect), fan-out (Query of the
 * live table and its by_audience index, DeleteItem of gone connections, GetItem of a device's site). Stream events
 * are filtered by Lambda (INSERT/MODIFY only; sync_requests' credential items and the incidents table's other items
 * never reach the function), start at
 * LATEST (a new dashboard needs no history) and are retried briefly: a live update a minute late is worth less
 * than the stream moving on.
 */
public final class LiveUpdates extends Construct {

    public static final String TICKET_HANDLER = "com.pisync.live.LiveTicketHandler::handleRequest";
    public static final String CONNECT_HANDLER = "com.pisync.live.LiveConnectHandler::handleRequest";
    public static final String STREAM_HANDLER = "com.pisync.live.LiveStreamHandler::handleRequest";
    /** Mirrors {@code com.pisync.live.LiveTicketHandler.ROUTES}. */
    public static final List<String> ROUTES = List.of("POST /v1/live/ticket");
    public static final String STAGE_NAME = "live";
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.seconds(10);
    public static final Duration FANOUT_TIMEOUT = Duration.seconds(30);
    public static final int BATCH_SIZE = 100;
    public static final int RETRY_ATTEMPTS = 2;
    public static final Duration MAX_RECORD_AGE = Duration.seconds(60);
    /** Connection attempts per second (each one a $connect invocation and a few writes). */
    public static final ThrottleSettings CONNECT_THROTTLE = ThrottleSettings.builder().rateLimit(20).burstLimit(50).build();

    private final WebSocketApi socketApi;
    private final WebSocketStage stage;
    private final LiveFunction ticket;
    private final LiveFunction connect;
    private final LiveFunction fanout;

    public LiveUpdates(Construct scope, String id, StageConfig config, FunctionFactory functions, Storage storage,
            Ingest api, IHttpRouteAuthorizer adminAuthorizer) {
        super(scope, id);

        connect = functions.create(this, "ConnectFunction", new FunctionSpec("live", CONNECT_HANDLER,
                "PiSync: live updates $connect (consumes the ticket) and $disconnect", MEMORY_MB, TIMEOUT, Map.of()));
        storage.grantTable(connect.role(), storage.live(), "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Query");

        socketApi = WebSocketApi.Builder.create(this, "SocketApi")
                .apiName("pisync-live-" + config.stage())
                .description("PiSync " + config.stage() + " live updates (WebSocket)")
                .connectRouteOptions(WebSocketRouteOptions.builder()
                        .integration(new WebSocketLambdaIntegration("ConnectIntegration", connect.alias())).build())
                .disconnectRouteOptions(WebSocketRouteOptions.builder()
                        .integration(new WebSocketLambdaIntegration("DisconnectIntegration", connect.alias())).build())
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(FunctionFactory.LOG_RETENTION)
                .removalPolicy(config.statefulRemovalPolicy())
                .build();
        stage = WebSocketStage.Builder.create(this, "SocketStage")
                .webSocketApi(socketApi)
                .stageName(STAGE_NAME)
                .autoDeploy(true)
                .throttle(CONNECT_THROTTLE)
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public LogGroupLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom("{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
                                + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\",\"status\":"
                                + "\"$context.status\",\"connectionId\":\"$context.connectionId\",\"eventType\":"
                                + "\"$context.eventType\"}");
                    }
                })
                .build();
        for (WebSocketRoute r : socketApi.getNode().getChildren().stream().filter(WebSocketRoute.class::isInstance)
                .map(WebSocketRoute.class::cast).toList()) {
            NagSuppressions.addResourceSuppressions(r, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-APIG4")
                    .reason("A browser cannot send an Authorization header on a WebSocket upgrade: $connect is "
                            + "authorised by the single-use ticket of POST /v1/live/ticket (itself behind the Cognito JWT "
                            + "authorizer), consumed atomically by the connect function; $disconnect only forgets the "
                            + "caller's own connection.")
                    .build()), true);
        }

        ticket = functions.create(this, "TicketFunction", new FunctionSpec("live", TICKET_HANDLER,
                "PiSync: issues single-use live-updates tickets", MEMORY_MB, TIMEOUT, Map.of("LIVE_URL", stage.getUrl())));
        storage.grantTable(ticket.role(), storage.live(), "dynamodb:PutItem");
        HttpLambdaIntegration integration = new HttpLambdaIntegration("LiveTicketIntegration", ticket.alias());
        for (String route : ROUTES) {
            api.addDashboardRoute(route, integration, config.apiDefaultThrottle(), adminAuthorizer);
        }

        fanout = functions.create(this, "FanoutFunction", new FunctionSpec("live", STREAM_HANDLER,
                "PiSync: sends device, alert, sync request and incident changes to the dashboards allowed to see them",
                MEMORY_MB, FANOUT_TIMEOUT, Map.of("LIVE_CALLBACK_URL", stage.getCallbackUrl())));
        storage.grantTable(fanout.role(), storage.live(), "dynamodb:Query", "dynamodb:DeleteItem");
        storage.grantIndexes(fanout.role(), storage.live(), List.of("by_audience"), "dynamodb:Query");
        storage.grantTable(fanout.role(), storage.devices(), "dynamodb:GetItem"); // a sync request's site
        stage.grantManagementApiAccess(fanout.role()); // execute-api:ManageConnections on this stage only

        Map<String, Object> changed = Map.of("eventName", FilterRule.or("INSERT", "MODIFY"));
        fanout.alias().addEventSource(new DynamoEventSource(storage.devices(), props(changed)));
        fanout.alias().addEventSource(new DynamoEventSource(storage.alerts(), props(changed)));
        fanout.alias().addEventSource(new DynamoEventSource(storage.syncRequests(), props(Map.of(
                "eventName", FilterRule.or("INSERT", "MODIFY"),
                "dynamodb", Map.of("Keys", Map.of("request_id", Map.of("S", FilterRule.beginsWith("req_"))))))));
        // Incidents only (sk "incident"): the sites' incident states, incidents' devices and the e-mail subscriptions
        // sharing the table never reach the function.
        fanout.alias().addEventSource(new DynamoEventSource(storage.incidents(), props(Map.of(
                "eventName", FilterRule.or("INSERT", "MODIFY"),
                "dynamodb", Map.of("Keys", Map.of("sk", Map.of("S", FilterRule.isEqual("incident"))))))));

        NagSuppressions.addResourceSuppressions(fanout.role().getNode().findChild("DefaultPolicy"), List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("dynamodb:ListStreams supports no resource-level permission (granted by DynamoEventSource, "
                                + "as for the stats function); execute-api:ManageConnections is scoped to this WebSocket "
                                + "API's stage and its @connections/* (connection ids are not known in advance).")
                        .appliesTo(List.of("Resource::*", io.github.cdklabs.cdknag.RegexAppliesTo.builder()
                                .regex("/^Resource::arn:.*:execute-api:.*\\/live\\/\\*\\/@connections\\/\\*$/g").build()))
                        .build()), true);
    }

    private static DynamoEventSourceProps props(Map<String, Object> filter) {
        return DynamoEventSourceProps.builder()
                .startingPosition(StartingPosition.LATEST)
                .batchSize(BATCH_SIZE)
                .retryAttempts(RETRY_ATTEMPTS)
                .maxRecordAge(MAX_RECORD_AGE)
                .bisectBatchOnError(false)
                .parallelizationFactor(1)
                .filters(List.of(FilterCriteria.filter(filter)))
                .build();
    }

    public WebSocketApi socketApi() {
        return socketApi;
    }

    public WebSocketStage stage() {
        return stage;
    }

    public LiveFunction ticket() {
        return ticket;
    }

    public LiveFunction connect() {
        return connect;
    }

    public LiveFunction fanout() {
        return fanout;
    }
}
