package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.TestBed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live updates through the local stack: {@code POST /v1/live/ticket}, the WebSocket endpoint with the real
 * {@code $connect} function (single-use tickets, refusals with 401/403 on the upgrade), and the real fan-out fed by
 * the tables' streams — device.updated, alert.opened, sync_request.updated, incident.opened/resolved — only to
 * connections allowed to see the site.
 */
class LiveUpdatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: the contract's 2 s is about the local stack at rest, not a loaded test machine. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalPiSync stack;
    private static LocalLiveServer live;
    private static String id;

    @BeforeAll
    static void start() {
        stack = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3);
        live = stack.startLive("127.0.0.1", 0);
        id = UUID.randomUUID().toString().substring(0, 6);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void aTicketOpensOneSocketThatReceivesChangesOfTheSitesTheUserMaySee() throws Exception {
        String siteA = "live-a-" + id;
        String siteB = "live-b-" + id;
        String deviceA = "live-dev-a-" + id;
        String deviceB = "live-dev-b-" + id;
        register(deviceA, siteA);
        register(deviceB, siteB);
        stack.drain();

        JsonNode adminTicket = ticket(LocalPiSync.ADMIN_CLAIMS);
        assertEquals(60, adminTicket.get("expires_in").asInt());
        assertTrue(adminTicket.get("url").asText().startsWith("ws://127.0.0.1:"), adminTicket.toString());
        Inbox admin = connect(adminTicket);
        Inbox teacher = connect(ticket(Map.of("sub", "teacher-sub", "username", "teacher",
                "cognito:groups", "[viewer site:" + siteA + "]", "token_use", "access")));

        // a change of site B, then one of site A: the teacher (site A only) gets A's and never B's
        sync(deviceB, 0);
        sync(deviceA, 0);
        JsonNode updateA = admin.await(m -> m.path("type").asText().equals("device.updated")
                && m.path("device").path("device_id").asText().equals(deviceA) && m.path("device").path("total_syncs").asInt() == 1);
        admin.await(m -> m.path("type").asText().equals("device.updated")
                && m.path("device").path("device_id").asText().equals(deviceB) && m.path("device").path("total_syncs").asInt() == 1);
        teacher.await(m -> m.path("device").path("device_id").asText().equals(deviceA) && m.path("device").path("total_syncs").asInt() == 1);
        // exactly the Device GET /v1/devices/{id} answers
        assertEquals(stack.json("GET", "/v1/devices/" + deviceA, null, 200), updateA.get("device"));

        // three failures in a row open an alert; a sync request is created: both reach both sockets (site A)
        for (int i = 0; i < 3; i++) {
            sync(deviceA, 1);
        }
        JsonNode opened = teacher.await(m -> m.path("type").asText().equals("alert.opened"));
        assertEquals(deviceA, opened.get("alert").get("device_id").asText());
        assertEquals("open", opened.get("alert").get("state").asText());
        JsonNode request = stack.json("POST", "/v1/devices/" + deviceA + "/sync-requests", null, 202);
        JsonNode updated = teacher.await(m -> m.path("type").asText().equals("sync_request.updated"));
        assertEquals(request.get("request_id").asText(), updated.get("sync_request").get("request_id").asText());
        admin.await(m -> m.path("type").asText().equals("alert.opened"));

        // device B (another site) failing: the admin hears of it, the teacher never does
        for (int i = 0; i < 3; i++) {
            sync(deviceB, 1);
        }
        admin.await(m -> m.path("type").asText().equals("alert.opened")
                && m.path("alert").path("device_id").asText().equals(deviceB));
        Thread.sleep(1000);
        for (JsonNode m : teacher.all()) {
            assertFalse(m.toString().contains(deviceB), "a site-" + siteA + " user was told of " + m);
        }
        admin.close();
        teacher.close();
    }

    @Test
    void aSiteIncidentOpeningAndResolvingReachesTheSocketsOfThatSiteOnly() throws Exception {
        String site = "live-inc-" + id;
        String other = "live-inc-other-" + id;
        List<String> devices = List.of("live-inc-1-" + id, "live-inc-2-" + id, "live-inc-3-" + id);
        for (String d : devices) {
            register(d, site);
            sync(d, 0);
        }
        stack.runStats();
        Inbox admin = connect(ticket(LocalPiSync.ADMIN_CLAIMS));
        Inbox elsewhere = connect(ticket(Map.of("sub", "other-sub", "username", "other",
                "cognito:groups", "[viewer site:" + other + "]", "token_use", "access")));
        Inbox teacher = connect(ticket(Map.of("sub", "inc-teacher-sub", "username", "inc-teacher",
                "cognito:groups", "[viewer site:" + site + "]", "token_use", "access")));

        // All three devices fail (3 in a row each): the stats function opens the site's incident.
        for (int round = 0; round < 3; round++) {
            for (String d : devices) {
                sync(d, 1);
            }
        }
        stack.runStats();
        JsonNode open = stack.json("GET", "/v1/incidents?state=open&site=" + site, null, 200).get("items");
        assertEquals(1, open.size(), open.toString());
        String incidentId = open.get(0).get("incident_id").asText();
        JsonNode opened = teacher.await(m -> m.path("type").asText().equals("incident.opened"));
        assertEquals(incidentId, opened.get("incident").get("incident_id").asText());
        assertEquals(site, opened.get("incident").get("site").asText());
        assertEquals("open", opened.get("incident").get("state").asText());
        assertEquals(3, opened.get("incident").get("devices_affected").asInt());
        admin.await(m -> m.path("type").asText().equals("incident.opened")
                && m.path("incident").path("incident_id").asText().equals(incidentId));

        // They recover: it resolves, one message of each kind per socket.
        for (String d : devices) {
            sync(d, 0);
        }
        stack.runStats();
        JsonNode resolved = teacher.await(m -> m.path("type").asText().equals("incident.resolved"));
        assertEquals(incidentId, resolved.get("incident").get("incident_id").asText());
        assertEquals("resolved", resolved.get("incident").get("state").asText());
        assertFalse(resolved.get("incident").get("resolved_at").isNull(), resolved.toString());
        assertEquals(stack.json("GET", "/v1/incidents/" + incidentId, null, 200).get("resolved_at"),
                resolved.get("incident").get("resolved_at"));
        admin.await(m -> m.path("type").asText().equals("incident.resolved"));
        Thread.sleep(1000);
        assertEquals(1, teacher.all().stream().filter(m -> m.path("type").asText().equals("incident.opened")).count());
        assertEquals(1, teacher.all().stream().filter(m -> m.path("type").asText().equals("incident.resolved")).count());
        for (JsonNode m : elsewhere.all()) {
            assertFalse(m.path("type").asText().startsWith("incident."), "a site-" + other + " user was told of " + m);
        }
        admin.close();
        teacher.close();
        elsewhere.close();
    }

    @Test
    void aTicketIsSingleUseAndASocketWithoutAValidOneIsRefused() throws Exception {
        JsonNode ticket = ticket(LocalPiSync.ADMIN_CLAIMS);
        Inbox first = connect(ticket);
        assertEquals(403, refusal(URI.create(ticket.get("url").asText() + "?ticket=" + ticket.get("ticket").asText())));
        assertEquals(403, refusal(URI.create(ticket.get("url").asText() + "?ticket=not-a-ticket")));
        assertEquals(401, refusal(URI.create(ticket.get("url").asText())));
        first.close();

        // the route itself: a signed-in viewer may have one, no token may not
        APIGatewayV2HTTPResponse viewer = stack.call("POST", "/v1/live/ticket", null, Map.of(),
                Map.of("sub", "v", "username", "v", "cognito:groups", "[viewer]", "token_use", "access"));
        assertEquals(200, viewer.getStatusCode(), viewer.getBody());
        assertEquals(401, stack.call("POST", "/v1/live/ticket", null, Map.of(), null).getStatusCode());
    }

    private static void register(String device, String site) {
        stack.json("POST", "/v1/devices", "{\"device_id\":\"" + device + "\",\"name\":\"Live\",\"type\":\"PiBook\","
                + "\"site\":\"" + site + "\"}", 201);
    }

    private static void sync(String device, int errors) {
        assertEquals(202, stack.call("POST", "/v1/sync-events", "{\"device_id\":\"" + device + "\",\"timestamp\":\""
                + Instant.now() + "\",\"total_files_synced\":1,\"total_errors\":" + errors + ",\"internet_speed\":2"
                + (errors > 0 ? ",\"error_code\":\"E_NET\",\"error_message\":\"timeout\"" : "") + "}").getStatusCode());
        stack.drain();
    }

    private static JsonNode ticket(Map<String, String> claims) throws Exception {
        APIGatewayV2HTTPResponse r = stack.call("POST", "/v1/live/ticket", null, Map.of(), claims);
        assertEquals(200, r.getStatusCode(), r.getBody());
        return JSON.readTree(r.getBody());
    }

    private static Inbox connect(JsonNode ticket) {
        Inbox inbox = new Inbox();
        inbox.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(ticket.get("url").asText() + "?ticket="
                + ticket.get("ticket").asText()), inbox).join();
        return inbox;
    }

    /** The HTTP status the upgrade was refused with. */
    private static int refusal(URI uri) {
        try {
            HTTP.newWebSocketBuilder().buildAsync(uri, new Inbox()).join().abort();
            fail("connected to " + uri);
            return 0;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** A dashboard's socket: every message it received. */
    private static final class Inbox implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final List<JsonNode> seen = new ArrayList<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    received.add(JSON.createObjectNode().put("unreadable", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode await(Predicate<JsonNode> wanted) throws InterruptedException {
            for (JsonNode m : seen) {
                if (wanted.test(m)) {
                    return m;
                }
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    seen.add(m);
                    if (wanted.test(m)) {
                        return m;
                    }
                }
            }
            fail("no such message within " + WAIT + "; received " + seen);
            return null;
        }

        List<JsonNode> all() {
            received.drainTo(seen);
            return seen;
        }

        void close() {
            assertNotNull(socket);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }
}
