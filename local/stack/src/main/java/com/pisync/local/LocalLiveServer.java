package com.pisync.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.pisync.aws.live.LiveSockets;
import com.pisync.live.LiveConnectHandler;
import com.pisync.live.LiveStreamHandler;
import com.pisync.testbed.StreamPoller;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/**
 * The live-updates WebSocket endpoint, locally: what API Gateway's WebSocket API does on AWS. An upgrade runs the
 * real {@code $connect} function ({@link LiveConnectHandler}: consumes the {@code ?ticket=}) and is refused with its
 * status (401 without a ticket, 403 with a bad one); a close runs {@code $disconnect}. A poller reads the devices,
 * alerts, sync_requests and incidents streams every {@value #POLL_MILLIS} ms and hands them to the real fan-out function
 * ({@link LiveStreamHandler}), whose {@link LiveSockets} adapter here is this server's open sockets.
 */
public final class LocalLiveServer implements AutoCloseable {

    static final long POLL_MILLIS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, WebSocket> open = new ConcurrentHashMap<>();
    private final LiveConnectHandler connect;
    private final Server server;
    private final Thread poller;
    private final AtomicBoolean running = new AtomicBoolean(true);

    LocalLiveServer(LocalPiSync stack, String host, int port) {
        this.connect = new LiveConnectHandler(stack.dynamo, stack.config, stack.clock);
        LiveStreamHandler fanout = new LiveStreamHandler(stack.dynamo, stack.config, this::send, stack.clock);
        var streams = StreamPoller.localStreamsClient(stack.servers().dynamoDbEndpoint());
        AtomicBoolean armed = new AtomicBoolean();
        List<StreamPoller> pollers = List.of(stack.config.devicesTable(), stack.config.alertsTable(),
                stack.config.syncRequestsTable(), stack.config.incidentsTable()).stream().map(table -> {
                    ensureStream(stack, table);
                    return StreamPoller.forTable(stack.dynamo, streams, table, e -> {
                        if (armed.get()) {
                            fanout.handleRequest(e, null);
                        }
                        return new com.amazonaws.services.lambda.runtime.events.StreamsEventResponse(List.of());
                    }, 1000);
                }).toList();
        // Live from now on: what the streams hold from before (a restarted runner's data) is passed over once.
        pollers.forEach(StreamPoller::drain);
        armed.set(true);
        this.server = new Server(new InetSocketAddress(host, port));
        server.setReuseAddr(true);
        server.setDaemon(true);
        server.setConnectionLostTimeout(60);
        server.start();
        try {
            if (!server.started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the live WebSocket server did not start on " + host + ":" + port);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (server.failure != null) {
            throw new IllegalStateException("the live WebSocket server could not start on " + host + ":" + port,
                    server.failure);
        }
        this.poller = new Thread(() -> {
            while (running.get()) {
                for (StreamPoller p : pollers) {
                    try {
                        p.drain();
                    } catch (RuntimeException e) {
                        if (running.get()) {
                            System.err.println("live updates: stream poll failed: " + e);
                        }
                    }
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pisync-live-streams");
        poller.setDaemon(true);
        poller.start();
    }

    /** Tables kept from a run before live updates had their streams: turned on (new records only, as on AWS). */
    private static void ensureStream(LocalPiSync stack, String table) {
        var spec = stack.dynamo.describeTable(r -> r.tableName(table)).table().streamSpecification();
        if (spec == null || !Boolean.TRUE.equals(spec.streamEnabled())) {
            stack.dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(true)
                    .streamViewType(software.amazon.awssdk.services.dynamodb.model.StreamViewType.NEW_AND_OLD_IMAGES)));
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The URL a ticket names: {@code ws://host:port/v1/live}. */
    public URI url() {
        return URI.create("ws://" + server.getAddress().getHostString() + ":" + port() + "/v1/live");
    }

    /** How many sockets are open. */
    public int connections() {
        return open.size();
    }

    /** The {@link LiveSockets} adapter: this server's open sockets. */
    private boolean send(String connectionId, String message) {
        WebSocket socket = open.get(connectionId);
        if (socket == null || !socket.isOpen()) {
            return false;
        }
        try {
            socket.send(message);
            return true;
        } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closed) {
            return false;
        }
    }

    @Override
    public void close() {
        running.set(false);
        poller.interrupt();
        try {
            server.stop(1000);
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        volatile Exception failure;

        Server(InetSocketAddress address) {
            super(address);
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                ClientHandshake request) throws InvalidDataException {
            String id = connectionId();
            APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
            APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
            context.setRouteKey(LiveConnectHandler.CONNECT);
            context.setEventType("CONNECT");
            context.setConnectionId(id);
            context.setConnectedAt(System.currentTimeMillis());
            event.setRequestContext(context);
            event.setQueryStringParameters(query(request.getResourceDescriptor()));
            APIGatewayV2WebSocketResponse response;
            try {
                response = connect.handleRequest(event, null);
            } catch (RuntimeException e) {
                System.err.println("live updates: $connect failed: " + e);
                throw e; // Java-WebSocket answers 500
            }
            if (response.getStatusCode() != 200) {
                refuse(conn, response.getStatusCode());
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "refused: " + response.getStatusCode());
            }
            conn.setAttachment(id);
            open.put(id, conn);
            return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            String id = conn.getAttachment();
            if (id != null && open.remove(id) != null) {
                APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
                APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
                context.setRouteKey(LiveConnectHandler.DISCONNECT);
                context.setEventType("DISCONNECT");
                context.setConnectionId(id);
                event.setRequestContext(context);
                try {
                    connect.handleRequest(event, null);
                } catch (RuntimeException e) {
                    if (running.get()) {
                        System.err.println("live updates: $disconnect failed: " + e);
                    }
                }
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            // Dashboards only listen (the WebSocket API declares no route for messages from them).
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) {
                failure = ex;
                started.countDown();
            }
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    /**
     * Java-WebSocket can only refuse an upgrade with 404: the status API Gateway would answer (401, 403) is written
     * first, so the client sees it.
     */
    private static void refuse(WebSocket conn, int status) {
        String reason = status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "Refused";
        String http = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (14 + reason.length()) + "\r\nConnection: close\r\n\r\n{\"message\":\"" + reason + "\"}";
        try {
            ByteBuffer bytes = ByteBuffer.wrap(http.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                if (((WebSocketImpl) conn).getChannel().write(bytes) == 0) {
                    Thread.onSpinWait();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away: nothing to tell it
        }
    }

    /** An id shaped like API Gateway's (12 url-safe characters). */
    private static String connectionId() {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Map<String, String> query(String resource) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = resource == null ? -1 : resource.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : resource.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
