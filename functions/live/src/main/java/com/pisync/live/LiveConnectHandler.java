package com.pisync.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.LiveConnectionStore;
import com.pisync.aws.live.Subscriber;
import com.pisync.aws.observability.Log;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The WebSocket API's {@code $connect} and {@code $disconnect} routes. {@code $connect} takes the
 * {@code ?ticket=} (consumed: a second connection with it is refused) and records the connection with the
 * ticket's user and sites; no ticket → 401, an unknown, used or expired one → 403 (API Gateway refuses the
 * upgrade with that status). {@code $disconnect} forgets the connection.
 */
public final class LiveConnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    public static final String CONNECT = "$connect";
    public static final String DISCONNECT = "$disconnect";
    private static final Log LOG = Log.of("live-connect");

    private final LiveConnectionStore store;
    private final Clock clock;

    public LiveConnectHandler() {
        this(AwsClients.fromEnvironment().dynamoDb(), PiSyncConfig.fromEnvironment(), Clock.systemUTC());
    }

    public LiveConnectHandler(DynamoDbClient dynamo, PiSyncConfig config, Clock clock) {
        this.store = new LiveConnectionStore(dynamo, config.liveTable());
        this.clock = clock;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var request = event.getRequestContext();
        String route = request == null ? null : request.getRouteKey();
        String connectionId = request == null ? null : request.getConnectionId();
        if (connectionId == null) {
            return response(400);
        }
        if (DISCONNECT.equals(route)) {
            store.disconnect(connectionId);
            return response(200);
        }
        if (!CONNECT.equals(route)) {
            return response(400); // no other route is declared
        }
        Map<String, String> query = event.getQueryStringParameters();
        String ticket = query == null ? null : query.get("ticket");
        if (ticket == null || ticket.isBlank()) {
            return response(401);
        }
        Optional<Subscriber> who = store.consumeTicket(ticket, clock.instant());
        if (who.isEmpty()) {
            LOG.forRequest(context).info("live connection refused", Map.of("reason", "ticket unknown, used or expired"));
            return response(403);
        }
        store.connect(connectionId, who.get(), clock.instant());
        return response(200);
    }

    private static APIGatewayV2WebSocketResponse response(int status) {
        APIGatewayV2WebSocketResponse r = new APIGatewayV2WebSocketResponse();
        r.setStatusCode(status);
        return r;
    }
}
