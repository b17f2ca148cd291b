package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.admin.AdminHandler;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/**
 * The audit log end to end through the local stack: every admin change and failed sign-in is recorded with who,
 * what, before and after (never a secret); a retried request writes neither the change nor the entry twice; the
 * list filters, pages and export; only an admin without sites reads it.
 */
class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Audit-Passw0rd!";
    private static LocalPiSync stack;
    private static LocalCognito cognito;
    private static LocalCognito.UserPool pool;
    private static String admin;
    private static String viewer;
    private static String siteAdmin;
    private static String id;

    @BeforeAll
    static void start() {
        cognito = TestBed.shared().cognito();
        id = UUID.randomUUID().toString().substring(0, 6);
        pool = cognito.createPool("audit-" + id);
        cognito.createUser(pool, "audit-admin", PASSWORD, "admin");
        cognito.createUser(pool, "audit-viewer", PASSWORD, "viewer");
        stack = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3, true).withIdentity(cognito, pool);
        admin = token("audit-admin");
        viewer = token("audit-viewer");
        cognito.createUser(pool, "audit-site-admin", PASSWORD, "admin");
        cognito.client().createGroup(r -> r.userPoolId(pool.poolId()).groupName("site:school-a"));
        cognito.client().adminAddUserToGroup(r -> r.userPoolId(pool.poolId()).username("audit-site-admin")
                .groupName("site:school-a"));
        siteAdmin = token("audit-site-admin");
    }

    private static String token(String username) {
        return cognito.client().initiateAuth(r -> r.clientId(pool.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", PASSWORD))).authenticationResult().accessToken();
    }

    private static APIGatewayV2HTTPResponse as(String token, String method, String path, String body) {
        return stack.serve(method, path, body, Map.of("Authorization", "Bearer " + token));
    }

    private static JsonNode json(String token, String method, String path, String body, int status) throws Exception {
        APIGatewayV2HTTPResponse r = as(token, method, path, body);
        assertEquals(status, r.getStatusCode(), method + " " + path + ": " + r.getBody());
        return r.getBody() == null || r.getBody().isEmpty() ? null : JSON.readTree(r.getBody());
    }

    private static List<JsonNode> entries(String query) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(admin, "GET", "/v1/audit?" + query + (cursor == null ? "" : "&cursor="
                    + LocalPiSync.encode(cursor)), null, 200);
            page.get("items").forEach(all::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return all;
    }

    @Test
    void everyDeviceChangeIsRecordedNewestFirstWithBeforeAndAfterAndNoSecret() throws Exception {
        String device = "audit-dev-" + id;
        JsonNode created = json(admin, "POST", "/v1/devices", "{\"device_id\":\"" + device
                + "\",\"name\":\"Tablet\",\"type\":\"PiBook\",\"site\":\"school-a\"}", 201);
        String deviceToken = created.get("device_token").asText();
        json(admin, "PATCH", "/v1/devices/" + device, "{\"name\":\"Renamed\"}", 200);
        String rotated = json(admin, "POST", "/v1/devices/" + device + "/token", null, 200).get("device_token").asText();
        JsonNode request = json(admin, "POST", "/v1/devices/" + device + "/sync-requests", null, 202);
        assertEquals(204, as(admin, "DELETE", "/v1/devices/" + device, null).getStatusCode());

        List<JsonNode> log = entries("target_id=" + device);
        assertEquals(List.of("device.decommission", "sync_request.create", "device.rotate_token", "device.update",
                "device.register"), log.stream().map(e -> e.get("action").asText()).toList());
        for (JsonNode e : log) {
            assertEquals("audit-admin", e.get("actor").asText());
            assertEquals("device", e.get("target_type").asText());
            assertEquals("127.0.0.1", e.get("source_ip").asText());
            assertTrue(e.get("audit_id").asText().startsWith("aud_"));
            assertFalse(e.get("request_id").asText().isEmpty());
            assertFalse(e.toString().contains(deviceToken) || e.toString().contains(rotated), "no token: " + e);
            assertFalse(e.toString().contains("token_hash"), e.toString());
        }
        JsonNode update = log.get(3);
        assertEquals("Tablet", update.get("before").get("name").asText());
        assertEquals("Renamed", update.get("after").get("name").asText());
        assertTrue(log.get(4).get("before").isNull());
        assertEquals("school-a", log.get(4).get("after").get("site").asText());
        assertEquals(request.get("request_id").asText(), log.get(1).get("after").get("request_id").asText());
        assertEquals("decommissioned", log.get(0).get("after").get("status").asText());
        assertEquals(log.get(2).get("before").get("token_version").asLong() + 1,
                log.get(2).get("after").get("token_version").asLong());
        Instant newest = Instant.parse(log.get(0).get("at").asText());
        for (JsonNode e : log) {
            assertFalse(Instant.parse(e.get("at").asText()).isAfter(newest));
        }

        // filters: actor + action, and a time range that excludes everything
        assertEquals(1, entries("actor=audit-admin&action=device.update&target_id=" + device).size());
        assertTrue(entries("action=device.register").stream().anyMatch(e -> e.get("target_id").asText().equals(device)));
        assertEquals(0, entries("target_id=" + device + "&to=2000-01-01T00:00:00Z").size());
        assertEquals(5, entries("target_id=" + device + "&from=2000-01-01T00:00:00Z&limit=2").size());
    }

    @Test
    void aRetriedRequestWritesNeitherTheChangeNorItsEntryTwice() throws Exception {
        String device = "audit-retry-" + id;
        json(admin, "POST", "/v1/devices", "{\"device_id\":\"" + device
                + "\",\"name\":\"Tablet\",\"type\":\"PiBook\",\"site\":\"school-a\"}", 201);
        AdminHandler handler = new AdminHandler(stack.dynamo, stack.sns, stack.config, stack.deviceTokens, stack.clock);
        APIGatewayV2HTTPEvent patch = event("PATCH /v1/devices/{device_id}", "/v1/devices/" + device, device,
                "{\"tags\":[\"retried\"]}", "retry-" + id);
        assertEquals(200, handler.handleRequest(patch, null).getStatusCode());
        String version = stack.dynamo.getItem(r -> r.tableName(stack.config.devicesTable())
                .key(Map.of("device_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(device)))
                .consistentRead(true)).item().get("version").n();
        APIGatewayV2HTTPResponse again = handler.handleRequest(patch, null);
        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals("retried", JSON.readTree(again.getBody()).get("tags").get(0).asText());
        String after = stack.dynamo.getItem(r -> r.tableName(stack.config.devicesTable())
                .key(Map.of("device_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(device)))
                .consistentRead(true)).item().get("version").n();
        assertEquals(version, after, "the retry changed nothing");
        assertEquals(1, entries("target_id=" + device + "&action=device.update").size());

        APIGatewayV2HTTPEvent sync = event("POST /v1/devices/{device_id}/sync-requests",
                "/v1/devices/" + device + "/sync-requests", device, null, "retry-sync-" + id);
        JsonNode first = JSON.readTree(handler.handleRequest(sync, null).getBody());
        JsonNode second = JSON.readTree(handler.handleRequest(sync, null).getBody());
        assertEquals(first.get("request_id"), second.get("request_id"), "the retry answers the same request");
        assertEquals(1, json(admin, "GET", "/v1/devices/" + device + "/sync-requests", null, 200).get("items").size());
        assertEquals(1, entries("target_id=" + device + "&action=sync_request.create").size());
    }

    private static APIGatewayV2HTTPEvent event(String route, String path, String device, String body, String requestId) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setVersion("2.0");
        e.setRouteKey(route);
        e.setRawPath(path);
        e.setPathParameters(Map.of("device_id", device));
        e.setHeaders(Map.of("content-type", "application/json"));
        e.setBody(body);
        e.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRouteKey(route).withRequestId(requestId)
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(route.substring(0,
                        route.indexOf(' '))).withPath(path).withSourceIp("203.0.113.9").build())
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(LocalPiSync.ADMIN_CLAIMS).build()).build())
                .build());
        return e;
    }

    @Test
    void failedSignInsAndUserChangesAreRecordedWithoutPasswords() throws Exception {
        String wrong = "Wrong-" + id + "-Passw0rd!";
        APIGatewayV2HTTPResponse refused = stack.serve("POST", "/v1/auth/login",
                "{\"username\":\"audit-viewer\",\"password\":\"" + wrong + "\"}", Map.of());
        assertEquals(401, refused.getStatusCode());
        List<JsonNode> failed = entries("actor=audit-viewer&action=auth.login_failed");
        assertEquals(1, failed.size());
        assertEquals("audit-viewer", failed.get(0).get("target_id").asText());
        assertFalse(failed.get(0).toString().contains(wrong));

        String user = "audit-user-" + id;
        json(admin, "POST", "/v1/users", "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"viewer\",\"sites\":[\"school-a\"]}", 201);
        json(admin, "PATCH", "/v1/users/" + user, "{\"role\":\"admin\",\"sites\":[]}", 200);
        assertEquals(204, as(admin, "DELETE", "/v1/users/" + user, null).getStatusCode());
        List<JsonNode> log = entries("target_id=" + user);
        assertEquals(List.of("user.delete", "user.update", "user.create"),
                log.stream().map(e -> e.get("action").asText()).toList());
        assertEquals("school-a", log.get(2).get("after").get("sites").get(0).asText());
        assertEquals("viewer", log.get(1).get("before").get("role").asText());
        assertEquals("admin", log.get(1).get("after").get("role").asText());
        assertTrue(log.get(0).get("after").isNull());
        for (JsonNode e : log) {
            assertFalse(e.toString().contains(PASSWORD), "no password: " + e);
        }
    }

    @Test
    void onlyAnAdminWithoutSitesReadsTheLogAndBadParametersNameTheField() throws Exception {
        assertEquals(403, as(viewer, "GET", "/v1/audit", null).getStatusCode());
        assertEquals(403, as(siteAdmin, "GET", "/v1/audit", null).getStatusCode());
        assertEquals(403, as(viewer, "GET", "/v1/audit/export", null).getStatusCode());
        assertEquals(403, as(siteAdmin, "GET", "/v1/audit/export", null).getStatusCode());
        assertEquals(401, stack.serve("GET", "/v1/audit", null, Map.of()).getStatusCode());
        for (String[] bad : new String[][] {{"from=yesterday", "from"}, {"limit=0", "limit"}, {"cursor=forged", "cursor"},
                {"from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to"}}) {
            APIGatewayV2HTTPResponse r = as(admin, "GET", "/v1/audit?" + bad[0], null);
            assertEquals(400, r.getStatusCode(), bad[0] + ": " + r.getBody());
            assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
            if (!bad[1].equals("cursor")) {
                assertTrue(JSON.readTree(r.getBody()).get("errors").findValuesAsText("field").contains(bad[1]), r.getBody());
            }
        }
        assertEquals(400, as(admin, "GET", "/v1/audit/export?format=xml", null).getStatusCode());
    }

    @Test
    void exportIsADownloadOfTheRangeNewestFirst() throws Exception {
        String device = "audit-export-" + id;
        json(admin, "POST", "/v1/devices", "{\"device_id\":\"" + device
                + "\",\"name\":\"=HYPERLINK(1)\",\"type\":\"PiBook\",\"site\":\"school-a\"}", 201);
        APIGatewayV2HTTPResponse csv = as(admin, "GET", "/v1/audit/export?format=csv&from=2000-01-01T00:00:00Z", null);
        assertEquals(200, csv.getStatusCode(), csv.getBody());
        assertTrue(csv.getHeaders().get("Content-Disposition").startsWith("attachment; filename=\"pisync-audit-"));
        assertTrue(csv.getHeaders().get("Content-Type").startsWith("text/csv"));
        String[] lines = csv.getBody().split("\n");
        assertEquals("audit_id,at,actor,action,target_type,target_id,before,after,request_id,source_ip", lines[0]);
        assertTrue(csv.getBody().contains(device));
        APIGatewayV2HTTPResponse json = as(admin, "GET", "/v1/audit/export?format=json", null);
        assertEquals(200, json.getStatusCode());
        JsonNode rows = JSON.readTree(json.getBody());
        assertTrue(rows.isArray() && rows.size() >= 1);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 1; i < rows.size(); i++) {
            assertFalse(Instant.parse(rows.get(i).get("at").asText()).isAfter(Instant.parse(rows.get(i - 1).get("at").asText())));
            seen.merge(rows.get(i).get("audit_id").asText(), 1, Integer::sum);
        }
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "each entry once");
        assertNotNull(rows.get(0).get("audit_id"));
    }
}
