package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/**
 * Users bound to sites, end to end: created and changed through /v1/users, signed in with cognito-local's real
 * tokens, and held to their sites by every read and write (lists filtered, another site's device 404, stats over
 * their sites).
 */
class SiteBoundUsersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Sites-Passw0rd!";

    @Test
    void aUserBoundToSitesSeesAndActsOnOnlyThoseSites() throws Exception {
        LocalCognito cognito = TestBed.shared().cognito();
        String id = UUID.randomUUID().toString().substring(0, 6);
        LocalCognito.UserPool pool = cognito.createPool("sites-" + id);
        cognito.createUser(pool, "sites-admin", PASSWORD, "admin");
        LocalPiSync stack = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3, false).withIdentity(cognito, pool);
        String admin = token(cognito, pool, "sites-admin");
        String a = "site-a-" + id;
        String b = "site-b-" + id;
        for (String[] d : new String[][] {{"dev-a1-" + id, a}, {"dev-a2-" + id, a}, {"dev-b1-" + id, b}}) {
            assertEquals(201, call(stack, admin, "POST", "/v1/devices", "{\"device_id\":\"" + d[0]
                    + "\",\"name\":\"T\",\"type\":\"PiBook\",\"site\":\"" + d[1] + "\"}").getStatusCode());
            assertEquals(202, stack.call("POST", "/v1/sync-events", "{\"device_id\":\"" + d[0] + "\",\"timestamp\":\""
                    + Instant.now().minusSeconds(60) + "\",\"total_files_synced\":1,\"total_errors\":0,"
                    + "\"internet_speed\":2,\"pending_files\":3,\"oldest_pending_at\":\""
                    + Instant.now().minusSeconds(3600) + "\"}").getStatusCode());
        }
        stack.drain();
        stack.runStats();

        // created bound to site A, listed with its sites; validation names the field
        JsonNode created = JSON.readTree(call(stack, admin, "POST", "/v1/users", "{\"username\":\"teacher-" + id
                + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"viewer\",\"sites\":[\"" + a + "\"]}").getBody());
        assertEquals(List.of(a), List.of(created.get("sites").get(0).asText()));
        APIGatewayV2HTTPResponse bad = call(stack, admin, "POST", "/v1/users", "{\"username\":\"x-" + id
                + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"viewer\",\"sites\":[\"\"]}");
        assertEquals(400, bad.getStatusCode());
        assertTrue(bad.getBody().contains("sites[0]"), bad.getBody());
        JsonNode users = JSON.readTree(call(stack, admin, "GET", "/v1/users", null).getBody());
        JsonNode teacher = null;
        for (JsonNode u : users.get("items")) {
            if (u.get("username").asText().equals("teacher-" + id)) {
                teacher = u;
            }
        }
        assertEquals("viewer", teacher.get("role").asText());
        assertEquals(a, teacher.get("sites").get(0).asText());

        String viewer = token(cognito, pool, "teacher-" + id);
        assertEquals(List.of("dev-a1-" + id, "dev-a2-" + id), ids(stack, viewer, "/v1/devices"));
        assertEquals(List.of(), ids(stack, viewer, "/v1/devices?site=" + b));
        assertEquals(200, call(stack, viewer, "GET", "/v1/devices/dev-a1-" + id, null).getStatusCode());
        assertEquals(404, call(stack, viewer, "GET", "/v1/devices/dev-b1-" + id, null).getStatusCode());
        assertEquals(404, call(stack, viewer, "GET", "/v1/devices/dev-b1-" + id + "/sync-events", null).getStatusCode());
        assertEquals(404, call(stack, viewer, "GET", "/v1/sync-events/export?site=" + b, null).getStatusCode());
        // data at risk and sites: only site A's (another site named explicitly: nothing)
        assertEquals(List.of("dev-a1-" + id, "dev-a2-" + id), sorted(ids(stack, viewer, "/v1/devices/at-risk")));
        assertEquals(List.of(), ids(stack, viewer, "/v1/devices/at-risk?site=" + b));
        assertEquals(3, ids(stack, admin, "/v1/devices/at-risk?limit=100").stream().filter(d -> d.endsWith(id)).count());
        assertEquals(List.of(a), sites(stack, viewer, "/v1/sites"));
        JsonNode siteA = JSON.readTree(call(stack, viewer, "GET", "/v1/sites", null).getBody()).get("items").get(0);
        assertEquals(2, siteA.get("devices").get("total").asInt(), siteA.toString());
        assertEquals(404, call(stack, viewer, "GET", "/v1/sites/" + b, null).getStatusCode());
        JsonNode stats = JSON.readTree(call(stack, viewer, "GET", "/v1/stats/fleet", null).getBody());
        assertEquals(2, stats.get("devices").get("total").asInt(), stats.toString());
        assertEquals(403, call(stack, viewer, "GET", "/v1/users", null).getStatusCode());

        // made an admin of both sites: acts on both, still no users or audit log
        JsonNode patched = JSON.readTree(call(stack, admin, "PATCH", "/v1/users/teacher-" + id,
                "{\"role\":\"admin\",\"sites\":[\"" + a + "\",\"" + b + "\"]}").getBody());
        assertEquals("admin", patched.get("role").asText());
        assertEquals(2, patched.get("sites").size());
        String siteAdmin = token(cognito, pool, "teacher-" + id);
        assertEquals(3, ids(stack, siteAdmin, "/v1/devices").size());
        assertEquals(3, ids(stack, siteAdmin, "/v1/devices/at-risk").size());
        assertEquals(List.of(a, b), sites(stack, siteAdmin, "/v1/sites"));
        // paged one site at a time, each exactly once
        JsonNode first = JSON.readTree(call(stack, siteAdmin, "GET", "/v1/sites?limit=1", null).getBody());
        assertEquals(a, first.get("items").get(0).get("site").asText());
        JsonNode second = JSON.readTree(call(stack, siteAdmin, "GET", "/v1/sites?limit=1&cursor="
                + java.net.URLEncoder.encode(first.get("next_cursor").asText(), java.nio.charset.StandardCharsets.UTF_8),
                null).getBody());
        assertEquals(b, second.get("items").get(0).get("site").asText());
        assertTrue(second.get("next_cursor").isNull(), second.toString());
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(call(stack, siteAdmin, "GET", "/v1/devices/at-risk?limit=1" + (cursor == null
                    ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)),
                    null).getBody());
            page.get("items").forEach(d -> paged.add(d.get("device_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null && paged.size() < 10);
        assertEquals(List.of("dev-a1-" + id, "dev-a2-" + id, "dev-b1-" + id), sorted(paged));
        assertEquals(3, JSON.readTree(call(stack, siteAdmin, "GET", "/v1/stats/fleet", null).getBody())
                .get("devices").get("total").asInt());
        assertEquals(200, call(stack, siteAdmin, "PATCH", "/v1/devices/dev-b1-" + id, "{\"name\":\"B\"}").getStatusCode());
        APIGatewayV2HTTPResponse elsewhere = call(stack, siteAdmin, "PATCH", "/v1/devices/dev-b1-" + id,
                "{\"site\":\"elsewhere\"}");
        assertEquals(403, elsewhere.getStatusCode());
        assertTrue(elsewhere.getBody().contains("\"site\""), elsewhere.getBody());
        assertEquals(403, call(stack, siteAdmin, "GET", "/v1/audit", null).getStatusCode());
        assertEquals(403, call(stack, siteAdmin, "POST", "/v1/users", "{}").getStatusCode());
        assertEquals(400, call(stack, admin, "PATCH", "/v1/users/teacher-" + id, "{}").getStatusCode());
        assertEquals(404, call(stack, admin, "PATCH", "/v1/users/nobody-" + id, "{\"role\":\"viewer\"}").getStatusCode());
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    private static List<String> sites(LocalPiSync stack, String token, String path) throws Exception {
        APIGatewayV2HTTPResponse r = call(stack, token, "GET", path, null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        List<String> sites = new ArrayList<>();
        JSON.readTree(r.getBody()).get("items").forEach(d -> sites.add(d.get("site").asText()));
        return sites;
    }

    private static String token(LocalCognito cognito, LocalCognito.UserPool pool, String username) {
        return cognito.client().initiateAuth(r -> r.clientId(pool.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", PASSWORD))).authenticationResult().accessToken();
    }

    private static APIGatewayV2HTTPResponse call(LocalPiSync stack, String token, String method, String path, String body) {
        return stack.serve(method, path, body, Map.of("Authorization", "Bearer " + token));
    }

    private static List<String> ids(LocalPiSync stack, String token, String path) throws Exception {
        APIGatewayV2HTTPResponse r = call(stack, token, "GET", path, null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.getBody()).get("items").forEach(d -> ids.add(d.get("device_id").asText()));
        return ids;
    }
}
