package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;

/**
 * Every documented route × every kind of caller, with the exact status each must get, through the
 * local HTTP layer: API Gateway's route matching and JWT authorizer (against cognito-local's real
 * tokens), then the real functions. A documented route without a row here fails the test.
 */
class AuthorizationMatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Matrix-Passw0rd!";

    /** Who calls. */
    enum Caller {
        NO_TOKEN, GARBAGE, BAD_SIGNATURE, EXPIRED, WRONG_ISSUER, WRONG_AUDIENCE, ALG_NONE, VIEWER, ADMIN,
        DEVICE_TOKEN, DEVICE_A_FOR_B, ROTATED_AWAY_TOKEN, DECOMMISSIONED_DEVICE,
        /** A viewer bound to the matrix devices' own site (school-m): reads as a viewer does. */
        SITE_VIEWER,
        /** An admin bound to another site (school-x): the matrix devices are not theirs. */
        SITE_ADMIN
    }

    /** Where a site-bound admin of another site gets something else than an admin (other routes: the admin's status). */
    private static final Map<String, Integer> SITE_ADMIN_STATUS = Map.ofEntries(
            Map.entry("GET /v1/users", 403), Map.entry("POST /v1/users", 403),
            Map.entry("PATCH /v1/users/{username}", 403), Map.entry("DELETE /v1/users/{username}", 403),
            Map.entry("DELETE /v1/users/{username}/totp", 403),
            Map.entry("GET /v1/audit", 403), Map.entry("GET /v1/audit/export", 403),
            Map.entry("POST /v1/devices", 403), // at school-m, not theirs
            Map.entry("GET /v1/devices/{device_id}", 404), Map.entry("PATCH /v1/devices/{device_id}", 404),
            Map.entry("DELETE /v1/devices/{device_id}", 404), Map.entry("POST /v1/devices/{device_id}/token", 404),
            Map.entry("GET /v1/devices/{device_id}/sync-events", 404),
            Map.entry("GET /v1/devices/{device_id}/sync-requests", 404),
            Map.entry("POST /v1/devices/{device_id}/sync-requests", 404),
            Map.entry("GET /v1/sync-events/export", 404),
            Map.entry("GET /v1/sites/{site}", 404), Map.entry("PUT /v1/sites/{site}", 403),
            Map.entry("GET /v1/subscriptions", 403), Map.entry("POST /v1/subscriptions", 403),
            Map.entry("DELETE /v1/subscriptions/{subscription_id}", 403));
    /** Routes only an admin without sites may call, GET included. */
    private static final Set<String> FLEET_ADMIN_ONLY = Set.of("GET /v1/users", "POST /v1/users",
            "PATCH /v1/users/{username}", "DELETE /v1/users/{username}", "DELETE /v1/users/{username}/totp",
            "GET /v1/audit", "GET /v1/audit/export",
            "GET /v1/subscriptions");

    /** Routes any signed-in user with a role may call, POST included (a live-updates ticket only reads). */
    private static final Set<String> ANY_ROLE = Set.of("POST /v1/live/ticket", "POST /v1/auth/totp/setup",
            "POST /v1/auth/totp/verify", "POST /v1/auth/totp/disable");

    /** A route, how to make a request of it, and what an admin gets. */
    record Row(String route, Supplier<String> path, Supplier<String> body, int adminStatus) {
        String method() {
            return route.substring(0, route.indexOf(' '));
        }
    }

    private static LocalPiSync stack;
    private static LocalCognito cognito;
    private static LocalCognito.UserPool pool;
    private static final Map<Caller, String> AUTHORIZATION = new LinkedHashMap<>();
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static String deviceA;
    private static String deviceB;
    private static String deviceRotated;
    private static String deviceDecommissioned;

    @BeforeAll
    static void fleetAndPeople() throws Exception {
        cognito = TestBed.shared().cognito();
        String id = UUID.randomUUID().toString().substring(0, 6);
        pool = cognito.createPool("matrix-" + id);
        cognito.createUser(pool, "matrix-admin", PASSWORD, "admin");
        cognito.createUser(pool, "matrix-viewer", PASSWORD, "viewer");
        LocalCognito.UserPool otherPool = cognito.createPool("other-" + id);
        cognito.createUser(otherPool, "other-admin", PASSWORD, "admin");
        String otherClient = cognito.client().createUserPoolClient(r -> r.userPoolId(pool.poolId())
                .clientName("another-app").explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                        ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH)).userPoolClient().clientId();

        stack = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3, true).withIdentity(cognito, pool);

        String admin = accessToken(pool.clientId(), "matrix-admin");
        AUTHORIZATION.put(Caller.ADMIN, "Bearer " + admin);
        AUTHORIZATION.put(Caller.VIEWER, "Bearer " + accessToken(pool.clientId(), "matrix-viewer"));
        cognito.createUser(pool, "matrix-site-viewer", PASSWORD, "viewer");
        cognito.createUser(pool, "matrix-site-admin", PASSWORD, "admin");
        for (String[] binding : new String[][] {{"matrix-site-viewer", "site:school-m"}, {"matrix-site-admin", "site:school-x"}}) {
            if (cognito.client().listGroups(r -> r.userPoolId(pool.poolId())).groups().stream()
                    .noneMatch(g -> g.groupName().equals(binding[1]))) {
                cognito.client().createGroup(r -> r.userPoolId(pool.poolId()).groupName(binding[1]));
            }
            cognito.client().adminAddUserToGroup(r -> r.userPoolId(pool.poolId()).username(binding[0])
                    .groupName(binding[1]));
        }
        AUTHORIZATION.put(Caller.SITE_VIEWER, "Bearer " + accessToken(pool.clientId(), "matrix-site-viewer"));
        AUTHORIZATION.put(Caller.SITE_ADMIN, "Bearer " + accessToken(pool.clientId(), "matrix-site-admin"));
        AUTHORIZATION.put(Caller.WRONG_ISSUER, "Bearer " + accessToken(otherPool.clientId(), "other-admin"));
        AUTHORIZATION.put(Caller.WRONG_AUDIENCE, "Bearer " + accessToken(otherClient, "matrix-admin"));
        AUTHORIZATION.put(Caller.GARBAGE, "Bearer not-a-token");
        String signature = admin.substring(admin.lastIndexOf('.') + 1);
        AUTHORIZATION.put(Caller.BAD_SIGNATURE, "Bearer " + admin.substring(0, admin.lastIndexOf('.') + 1)
                + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1));
        AUTHORIZATION.put(Caller.EXPIRED, "Bearer " + expired(admin));
        String[] parts = admin.split("\\.");
        AUTHORIZATION.put(Caller.ALG_NONE, "Bearer " + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".");

        deviceA = register("matrix-a-" + id).get("device_token").asText();
        register("matrix-b-" + id);
        String rotatedAway = register("matrix-rot-" + id).get("device_token").asText();
        stack.json("POST", "/v1/devices/matrix-rot-" + id + "/token", null, 200);
        String decommissioned = register("matrix-dec-" + id).get("device_token").asText();
        assertEquals(204, stack.call("DELETE", "/v1/devices/matrix-dec-" + id, null).getStatusCode());
        AUTHORIZATION.put(Caller.DEVICE_TOKEN, "Bearer " + deviceA);
        AUTHORIZATION.put(Caller.DEVICE_A_FOR_B, "Bearer " + deviceA);
        AUTHORIZATION.put(Caller.ROTATED_AWAY_TOKEN, "Bearer " + rotatedAway);
        AUTHORIZATION.put(Caller.DECOMMISSIONED_DEVICE, "Bearer " + decommissioned);
        deviceA = "matrix-a-" + id;
        deviceB = "matrix-b-" + id;
        deviceRotated = "matrix-rot-" + id;
        deviceDecommissioned = "matrix-dec-" + id;
    }

    private static String accessToken(String clientId, String username) {
        return cognito.client().initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", PASSWORD))).authenticationResult().accessToken();
    }

    private static String refreshToken() {
        return cognito.client().initiateAuth(r -> r.clientId(pool.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", "matrix-viewer", "PASSWORD", PASSWORD)))
                .authenticationResult().refreshToken();
    }

    /** The admin's token with its expiry in the past, signed with the issuer's own key. */
    private static String expired(String token) throws Exception {
        Path keyFile = LocalCognito.signingKeyFile(); // fails (never skips) if the package moved it
        RSAKey key = RSAKey.parse(JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(Files.readString(keyFile)), "jwk"));
        Map<String, Object> claims = new LinkedHashMap<>(SignedJWT.parse(token).getPayload().toJSONObject());
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 7200);
        claims.put("auth_time", now - 7200);
        claims.put("exp", now - 3600);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                JWTClaimsSet.parse(claims));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JsonNode register(String deviceId) {
        return stack.json("POST", "/v1/devices", "{\"device_id\":\"" + deviceId
                + "\",\"name\":\"Matrix\",\"type\":\"PiBook\",\"site\":\"school-m\"}", 201);
    }

    private static String event(String deviceId) {
        return "{\"device_id\":\"" + deviceId + "\",\"timestamp\":\"" + Instant.now().minusSeconds(60)
                + "\",\"total_files_synced\":1,\"total_errors\":0,\"internet_speed\":2}";
    }

    private static String fresh(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    /** A device or user made (as admin) just for one request that consumes it. */
    private static String freshDevice() {
        String id = fresh("matrix-tmp");
        register(id);
        return id;
    }

    /** An e-mail subscription made (as admin) for one DELETE. */
    private static String freshSubscription() {
        return stack.json("POST", "/v1/subscriptions", "{\"email\":\"" + fresh("matrix-sub") + "@school.example\"}", 201)
                .get("subscription_id").asText();
    }

    private static String freshUser() {
        String name = fresh("matrix-user");
        cognito.createUser(pool, name, PASSWORD, "viewer");
        return name;
    }

    private static List<Row> rows() {
        return List.of(
                new Row("GET /health", () -> "/health", () -> null, 200),
                new Row("POST /v1/sync-events", () -> "/v1/sync-events", () -> event(deviceA), 202),
                new Row("POST /v1/auth/login", () -> "/v1/auth/login",
                        () -> "{\"username\":\"matrix-viewer\",\"password\":\"" + PASSWORD + "\"}", 200),
                // no such session: 401 whoever asks (a public route)
                new Row("POST /v1/auth/login/totp", () -> "/v1/auth/login/totp",
                        () -> "{\"username\":\"matrix-viewer\",\"session\":\"not-a-session-0123456789\","
                                + "\"code\":\"123456\"}", 401),
                // the signed-in user's own authenticator; verify without a code: 400 naming code, never enabling it
                new Row("POST /v1/auth/totp/setup", () -> "/v1/auth/totp/setup", () -> null, 200),
                new Row("POST /v1/auth/totp/verify", () -> "/v1/auth/totp/verify", () -> "{}", 400),
                // turning it off needs a code: without one, 400 naming code, never turning anything off
                new Row("POST /v1/auth/totp/disable", () -> "/v1/auth/totp/disable", () -> "{}", 400),
                new Row("POST /v1/auth/refresh", () -> "/v1/auth/refresh",
                        () -> "{\"refresh_token\":\"" + refreshToken() + "\"}", 200),
                new Row("POST /v1/auth/logout", () -> "/v1/auth/logout",
                        () -> "{\"refresh_token\":\"" + refreshToken() + "\"}", 204),
                new Row("GET /v1/users", () -> "/v1/users", () -> null, 200),
                new Row("POST /v1/users", () -> "/v1/users",
                        () -> "{\"username\":\"" + fresh("matrix-new") + "\",\"password\":\"" + PASSWORD
                                + "\",\"role\":\"viewer\"}", 201),
                new Row("PATCH /v1/users/{username}", () -> "/v1/users/" + freshUser(),
                        () -> "{\"sites\":[\"school-m\"]}", 200),
                new Row("DELETE /v1/users/{username}", () -> "/v1/users/" + freshUser(), () -> null, 204),
                new Row("DELETE /v1/users/{username}/totp", () -> "/v1/users/" + freshUser() + "/totp", () -> null, 204),
                new Row("GET /v1/audit", () -> "/v1/audit?limit=5", () -> null, 200),
                new Row("GET /v1/audit/export", () -> "/v1/audit/export?format=json", () -> null, 200),
                new Row("GET /v1/devices", () -> "/v1/devices?limit=5", () -> null, 200),
                new Row("POST /v1/devices", () -> "/v1/devices", () -> "{\"device_id\":\"" + fresh("matrix-reg")
                        + "\",\"name\":\"N\",\"type\":\"PiBox\",\"site\":\"school-m\"}", 201),
                new Row("GET /v1/devices/failing", () -> "/v1/devices/failing", () -> null, 200),
                new Row("GET /v1/devices/repeated-failures", () -> "/v1/devices/repeated-failures", () -> null, 200),
                new Row("GET /v1/devices/{device_id}", () -> "/v1/devices/" + deviceA, () -> null, 200),
                new Row("PATCH /v1/devices/{device_id}", () -> "/v1/devices/" + deviceA, () -> "{\"name\":\"Renamed\"}", 200),
                new Row("DELETE /v1/devices/{device_id}", () -> "/v1/devices/" + freshDevice(), () -> null, 204),
                new Row("POST /v1/devices/{device_id}/token", () -> "/v1/devices/" + freshDevice() + "/token",
                        () -> null, 200),
                new Row("GET /v1/devices/{device_id}/sync-events", () -> "/v1/devices/" + deviceA + "/sync-events",
                        () -> null, 200),
                new Row("GET /v1/devices/{device_id}/sync-requests", () -> "/v1/devices/" + deviceA + "/sync-requests",
                        () -> null, 200),
                new Row("POST /v1/devices/{device_id}/sync-requests", () -> "/v1/devices/" + freshDevice()
                        + "/sync-requests", () -> null, 202),
                new Row("GET /v1/sync-errors", () -> "/v1/sync-errors", () -> null, 200),
                new Row("GET /v1/sync-events/export", () -> "/v1/sync-events/export?device_id=" + deviceA, () -> null, 200),
                new Row("GET /v1/alerts", () -> "/v1/alerts", () -> null, 200),
                new Row("GET /v1/stats/fleet", () -> "/v1/stats/fleet", () -> null, 200),
                new Row("GET /v1/devices/at-risk", () -> "/v1/devices/at-risk", () -> null, 200),
                new Row("GET /v1/sites", () -> "/v1/sites", () -> null, 200),
                new Row("GET /v1/incidents", () -> "/v1/incidents", () -> null, 200),
                // no such incident: 404 to everyone who may read incidents
                new Row("GET /v1/incidents/{incident_id}", () -> "/v1/incidents/inc_000000000000000000000000",
                        () -> null, 404),
                new Row("GET /v1/subscriptions", () -> "/v1/subscriptions", () -> null, 200),
                new Row("POST /v1/subscriptions", () -> "/v1/subscriptions",
                        () -> "{\"email\":\"" + fresh("matrix-sub") + "@school.example\"}", 201),
                new Row("DELETE /v1/subscriptions/{subscription_id}", () -> "/v1/subscriptions/" + freshSubscription(),
                        () -> null, 204),
                new Row("POST /v1/live/ticket", () -> "/v1/live/ticket", () -> null, 200),
                new Row("GET /v1/sites/{site}", () -> "/v1/sites/school-m", () -> null, 200),
                new Row("PUT /v1/sites/{site}", () -> "/v1/sites/school-m",
                        () -> "{\"name\":\"Matrix school\",\"timezone\":\"Africa/Nairobi\"}", 200));
    }

    private static final Set<String> PUBLIC = Set.of("GET /health", "POST /v1/auth/login", "POST /v1/auth/login/totp",
            "POST /v1/auth/refresh", "POST /v1/auth/logout");

    private static int expected(Row row, Caller caller) {
        if (PUBLIC.contains(row.route())) {
            return row.adminStatus(); // no authorizer: the answer does not depend on who asks
        }
        if (row.route().equals("POST /v1/sync-events")) {
            return switch (caller) {
                case DEVICE_TOKEN -> 202;
                case DEVICE_A_FOR_B -> 403;
                default -> 401; // every admin JWT, forged, rotated-away or decommissioned token
            };
        }
        boolean read = row.method().equals("GET") && !FLEET_ADMIN_ONLY.contains(row.route())
                || ANY_ROLE.contains(row.route());
        return switch (caller) {
            case ADMIN -> row.adminStatus();
            case VIEWER, SITE_VIEWER -> read ? row.adminStatus() : 403;
            case SITE_ADMIN -> SITE_ADMIN_STATUS.getOrDefault(row.route(), row.adminStatus());
            default -> 401;
        };
    }

    private static String body(Row row, Caller caller) {
        if (!row.route().equals("POST /v1/sync-events")) {
            return row.body().get();
        }
        return switch (caller) {
            case DEVICE_A_FOR_B -> event(deviceB);
            case ROTATED_AWAY_TOKEN -> event(deviceRotated);
            case DECOMMISSIONED_DEVICE -> event(deviceDecommissioned);
            default -> event(deviceA);
        };
    }

    @Test
    void everyRouteGivesEveryCallerExactlyItsStatus() throws Exception {
        Set<String> documented = new TreeSet<>();
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../../docs/openapi.yaml").toFile());
        spec.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(m)) {
                documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
            }
        }));
        Set<String> inMatrix = new TreeSet<>();
        rows().forEach(r -> inMatrix.add(r.route()));
        assertEquals(documented, inMatrix, "every documented route has a row in the matrix");

        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Row row : rows()) {
            for (Caller caller : Caller.values()) {
                Map<String, String> headers = new LinkedHashMap<>();
                if (caller != Caller.NO_TOKEN) {
                    headers.put("Authorization", AUTHORIZATION.get(caller));
                }
                APIGatewayV2HTTPResponse r = stack.serve(row.method(), row.path().get(), body(row, caller), headers);
                int want = expected(row, caller);
                checked++;
                if (r.getStatusCode() != want) {
                    wrong.add(String.format("%-45s %-22s got %d, want %d: %s", row.route(), caller, r.getStatusCode(),
                            want, r.getBody() == null ? "" : r.getBody().substring(0, Math.min(160, r.getBody().length()))));
                }
                if (r.getStatusCode() >= 400 && r.getBody() != null) {
                    assertTrue(!r.getBody().contains("Exception") && !r.getBody().contains("at com."), r.getBody());
                }
            }
        }
        assertEquals(List.of(), wrong, "of " + checked + " requests");
        assertEquals(rows().size() * Caller.values().length, checked);
    }

    @Test
    void loggedOutRefreshTokenAndRotatedDeviceTokenStopWorking() throws Exception {
        String refresh = refreshToken();
        Map<String, String> none = Map.of();
        assertEquals(200, stack.serve("POST", "/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}", none)
                .getStatusCode());
        assertEquals(204, stack.serve("POST", "/v1/auth/logout", "{\"refresh_token\":\"" + refresh + "\"}", none)
                .getStatusCode());
        assertEquals(401, stack.serve("POST", "/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}", none)
                .getStatusCode(), "a logged-out refresh token stops working");

        String device = freshDevice();
        Map<String, String> admin = Map.of("Authorization", AUTHORIZATION.get(Caller.ADMIN));
        String first = JSON.readTree(stack.serve("POST", "/v1/devices/" + device + "/token", null, admin).getBody())
                .get("device_token").asText();
        assertEquals(202, stack.serve("POST", "/v1/sync-events", event(device), Map.of("Authorization", "Bearer " + first))
                .getStatusCode());
        String second = JSON.readTree(stack.serve("POST", "/v1/devices/" + device + "/token", null, admin).getBody())
                .get("device_token").asText();
        assertEquals(401, stack.serve("POST", "/v1/sync-events", event(device), Map.of("Authorization", "Bearer " + first))
                .getStatusCode(), "the rotated-away token stops working at once");
        assertEquals(202, stack.serve("POST", "/v1/sync-events", event(device), Map.of("Authorization", "Bearer " + second))
                .getStatusCode());
    }
}
