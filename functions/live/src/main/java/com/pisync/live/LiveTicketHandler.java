package com.pisync.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.dynamodb.LiveConnectionStore;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.live.Subscriber;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code POST /v1/live/ticket} (any signed-in user, admin or viewer): a single-use ticket, valid 60 s, for one
 * WebSocket connection to {@code url}. A browser cannot send an Authorization header on a WebSocket upgrade, and
 * an access token in a URL would end up in logs; a ticket there is harmless once used or a minute old. Only the
 * ticket's hash is stored, with the user's sites (from their token) for the connection to keep.
 */
public final class LiveTicketHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    public static final List<String> ROUTES = List.of("POST /v1/live/ticket");
    public static final Duration TICKET_LIFETIME = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LiveConnectionStore store;
    private final Supplier<String> url;
    private final Clock clock;

    public LiveTicketHandler() {
        this(AwsClients.fromEnvironment().dynamoDb(), PiSyncConfig.fromEnvironment(), liveUrl(), Clock.systemUTC());
    }

    /** @param url the WebSocket API's URL (wss://...), asked for each ticket (a local server knows it once started) */
    public LiveTicketHandler(DynamoDbClient dynamo, PiSyncConfig config, Supplier<String> url, Clock clock) {
        this.store = new LiveConnectionStore(dynamo, config.liveTable());
        this.url = url;
        this.clock = clock;
    }

    private static Supplier<String> liveUrl() {
        String url = System.getenv("LIVE_URL");
        return () -> url;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return HttpApi.handle(request, () -> {
            Caller caller = Caller.authorize(request, true); // viewers too: a ticket only reads
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            store.putTicket(ticket, Subscriber.of(caller), clock.instant().plus(TICKET_LIFETIME));
            ObjectNode body = HttpApi.JSON.createObjectNode();
            body.put("url", url.get());
            body.put("ticket", ticket);
            body.put("expires_in", TICKET_LIFETIME.toSeconds());
            return HttpApi.json(200, body);
        });
    }
}
