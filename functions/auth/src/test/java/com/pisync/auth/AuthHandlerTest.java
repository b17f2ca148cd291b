package com.pisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.Cursors;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminSetUserPasswordRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/** The auth function against cognito-local: sign-in, refresh, sign-out, users CRUD with admin and viewer callers. */
class AuthHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PASSWORD = "Admin-Passw0rd!";
    static final String VIEWER_PASSWORD = "Viewer-Passw0rd!";
    static final Cursors CURSORS = new Cursors("auth-test-cursor-signing-key".getBytes(StandardCharsets.UTF_8));

    private final LocalCognito cognito = TestBed.shared().cognito();
    private LocalCognito.UserPool pool;
    private AuthHandler handler;

    @BeforeEach
    void newPool() {
        pool = cognito.createPool("auth-" + UUID.randomUUID());
        cognito.createUser(pool, "amina.otieno", ADMIN_PASSWORD, "admin");
        cognito.createUser(pool, "kisumu-viewer", VIEWER_PASSWORD, "viewer");
        handler = handler(cognito.client());
    }

    private AuthHandler handler(CognitoIdentityProviderClient client) {
        return new AuthHandler(client, pool.poolId(), pool.clientId(), CURSORS, Clock.systemUTC());
    }

    // ---- requests ----

    static APIGatewayV2HTTPEvent event(String file) {
        return EventLoader.loadApiGatewayHttpEvent("events/auth/" + file);
    }

    static APIGatewayV2HTTPEvent post(String file, String body) {
        APIGatewayV2HTTPEvent event = event(file);
        event.setBody(body);
        return event;
    }

    static String json(Object... keyValues) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            n.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return n.toString();
    }

    /** The claims API Gateway's JWT authorizer would put in the event for this user. */
    static APIGatewayV2HTTPEvent as(APIGatewayV2HTTPEvent event, String username, String groups) {
        Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("username", username);
        claims.put("sub", UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString());
        if (groups == null) {
            claims.remove("cognito:groups");
        } else {
            claims.put("cognito:groups", groups);
        }
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }

    static APIGatewayV2HTTPEvent anonymous(APIGatewayV2HTTPEvent event) {
        event.getRequestContext().setAuthorizer(null);
        event.getHeaders().remove("authorization");
        return event;
    }

    static APIGatewayV2HTTPEvent listUsers(String limit, String cursor) {
        APIGatewayV2HTTPEvent event = event("get-users.json");
        Map<String, String> q = new HashMap<>();
        if (limit != null) {
            q.put("limit", limit);
        }
        if (cursor != null) {
            q.put("cursor", cursor);
        }
        event.setQueryStringParameters(q);
        return event;
    }

    static APIGatewayV2HTTPEvent deleteUser(String username) {
        APIGatewayV2HTTPEvent event = event("delete-user.json");
        event.setPathParameters(Map.of("username", username));
        event.setRawPath("/v1/users/" + username);
        return event;
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    private JsonNode ok(APIGatewayV2HTTPEvent event, int status) throws Exception {
        APIGatewayV2HTTPResponse r = call(event);
        assertEquals(status, r.getStatusCode(), r.getBody());
        return r.getBody() == null ? null : JSON.readTree(r.getBody());
    }

    private JsonNode login(String username, String password) throws Exception {
        return ok(post("post-auth-login.json", json("username", username, "password", password)), 200);
    }

    static JsonNode problem(APIGatewayV2HTTPResponse r, int status, String field) throws Exception {
        assertEquals(status, r.getStatusCode(), r.getBody());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        JsonNode p = JSON.readTree(r.getBody());
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.hasNonNull("type") && p.hasNonNull("title") && p.hasNonNull("detail"), p.toString());
        assertFalse(r.getBody().contains("Exception"), "no internals: " + r.getBody());
        if (field != null) {
            assertTrue(p.get("errors").findValuesAsText("field").contains(field), p.toString());
        }
        return p;
    }

    static JsonNode payload(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    // ---- sign-in ----

    @Test
    void loginAnswersTokensOfTheUserWithItsGroups() throws Exception {
        JsonNode tokens = login("amina.otieno", ADMIN_PASSWORD);
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertEquals(3600, tokens.get("expires_in").asInt()); // cognito-local says null; the token says 60 min
        assertTrue(tokens.hasNonNull("refresh_token") && tokens.hasNonNull("id_token"));
        JsonNode access = payload(tokens.get("access_token").asText());
        assertEquals("access", access.get("token_use").asText());
        assertEquals(pool.clientId(), access.get("client_id").asText());
        assertEquals(pool.issuer(), access.get("iss").asText());
        assertEquals("amina.otieno", access.get("username").asText());
        assertEquals("admin", access.get("cognito:groups").get(0).asText());
        assertEquals("viewer", payload(login("kisumu-viewer", VIEWER_PASSWORD).get("access_token").asText())
                .get("cognito:groups").get(0).asText());
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() throws Exception {
        APIGatewayV2HTTPResponse wrong = call(post("post-auth-login.json",
                json("username", "amina.otieno", "password", "not-her-password")));
        APIGatewayV2HTTPResponse unknown = call(post("post-auth-login.json",
                json("username", "nobody-here", "password", ADMIN_PASSWORD)));
        APIGatewayV2HTTPResponse tooLong = call(post("post-auth-login.json",
                json("username", "x".repeat(200), "password", ADMIN_PASSWORD)));
        JsonNode p = problem(wrong, 401, null);
        assertEquals("/problems/unauthorized", p.get("type").asText());
        assertEquals(wrong.getBody(), unknown.getBody());
        assertEquals(wrong.getHeaders(), unknown.getHeaders());
        assertEquals(wrong.getBody(), tooLong.getBody());
    }

    @Test
    void everyCognitoRefusalIsTheSame401() throws Exception {
        // Real Cognito says NotAuthorizedException (or UserNotFoundException without PreventUserExistenceErrors).
        for (RuntimeException refusal : List.of(
                NotAuthorizedException.builder().message("Incorrect username or password.").statusCode(400).build(),
                UserNotFoundException.builder().message("User does not exist.").statusCode(400).build(),
                InvalidPasswordException.builder().message("Invalid password").statusCode(400).build())) {
            try (CognitoIdentityProviderClient failing = cognito.client(failWith("InitiateAuth", refusal))) {
                APIGatewayV2HTTPResponse r = handler(failing).handleRequest(post("post-auth-login.json",
                        json("username", "amina.otieno", "password", ADMIN_PASSWORD)), null);
                JsonNode p = problem(r, 401, null);
                assertEquals(CognitoErrors.BAD_CREDENTIALS, p.get("detail").asText());
            }
        }
    }

    @Test
    void loginValidatesItsBody() throws Exception {
        problem(call(post("post-auth-login.json", json("password", ADMIN_PASSWORD))), 400, "username");
        problem(call(post("post-auth-login.json", json("username", "amina.otieno"))), 400, "password");
        problem(call(post("post-auth-login.json", json("username", "", "password", 7))), 400, "password");
        problem(call(post("post-auth-login.json", "{not json")), 400, "body");
        problem(call(post("post-auth-login.json", "[\"amina\"]")), 400, "body");
        problem(call(post("post-auth-login.json", null)), 400, "body");
    }

    @Test
    void refreshGivesANewAccessTokenAndRefusesGarbage() throws Exception {
        JsonNode tokens = login("amina.otieno", ADMIN_PASSWORD);
        JsonNode refreshed = ok(post("post-auth-refresh.json",
                json("refresh_token", tokens.get("refresh_token").asText())), 200);
        assertEquals("Bearer", refreshed.get("token_type").asText());
        assertTrue(refreshed.get("expires_in").asInt() > 0);
        assertNotEquals(tokens.get("access_token").asText(), refreshed.get("access_token").asText());
        assertEquals("amina.otieno", payload(refreshed.get("access_token").asText()).get("username").asText());
        assertFalse(refreshed.has("refresh_token")); // cognito-local does not rotate it; Cognito neither by default

        JsonNode p = problem(call(post("post-auth-refresh.json", json("refresh_token", "garbage"))), 401, null);
        assertEquals(CognitoErrors.BAD_REFRESH_TOKEN, p.get("detail").asText());
        problem(call(post("post-auth-refresh.json", json("refresh_token", ""))), 400, "refresh_token");
        problem(call(post("post-auth-refresh.json", "{}")), 400, "refresh_token");
    }

    @Test
    void logoutRevokesTheRefreshTokenAndIsIdempotent() throws Exception {
        String refreshToken = login("amina.otieno", ADMIN_PASSWORD).get("refresh_token").asText();
        String other = login("amina.otieno", ADMIN_PASSWORD).get("refresh_token").asText();
        APIGatewayV2HTTPResponse out = call(post("post-auth-logout.json", json("refresh_token", refreshToken)));
        assertEquals(204, out.getStatusCode());
        assertNull(out.getBody());

        problem(call(post("post-auth-refresh.json", json("refresh_token", refreshToken))), 401, null);
        assertEquals(204, call(post("post-auth-logout.json", json("refresh_token", refreshToken))).getStatusCode());
        assertEquals(204, call(post("post-auth-logout.json", json("refresh_token", "never-issued"))).getStatusCode());
        // only that session ended
        ok(post("post-auth-refresh.json", json("refresh_token", other)), 200);

        problem(call(post("post-auth-logout.json", "{\"refresh_token\":42}")), 400, "refresh_token");
        problem(call(post("post-auth-logout.json", "nope")), 400, "body");
    }

    // ---- users ----

    @Test
    void adminCreatesListsAndDeletesUsers() throws Exception {
        JsonNode created = ok(post("post-users.json",
                json("username", "nakuru-ops", "password", "Nakuru-Ops-2026!", "role", "admin")), 201);
        assertEquals("nakuru-ops", created.get("username").asText());
        assertEquals("admin", created.get("role").asText());
        // the new user can sign in at once, with the role as group
        assertEquals("admin", payload(login("nakuru-ops", "Nakuru-Ops-2026!").get("access_token").asText())
                .get("cognito:groups").get(0).asText());

        JsonNode list = ok(listUsers(null, null), 200);
        assertEquals(List.of("amina.otieno", "kisumu-viewer", "nakuru-ops"), usernames(list));
        assertTrue(list.get("next_cursor").isNull());
        JsonNode viewer = list.get("items").get(1);
        assertEquals("viewer", viewer.get("role").asText());
        assertTrue(viewer.get("enabled").asBoolean());
        assertTrue(viewer.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"),
                viewer.toString());

        assertEquals(204, call(deleteUser("nakuru-ops")).getStatusCode());
        assertEquals(List.of("amina.otieno", "kisumu-viewer"), usernames(ok(listUsers(null, null), 200)));
        problem(call(post("post-auth-login.json", json("username", "nakuru-ops", "password", "Nakuru-Ops-2026!"))), 401,
                null);
        JsonNode gone = problem(call(deleteUser("nakuru-ops")), 404, null);
        assertEquals("/problems/not-found", gone.get("type").asText());
        problem(call(deleteUser("x")), 404, null);
    }

    @Test
    void usersArePagedInUsernameOrderWithSignedCursors() throws Exception {
        for (int i = 9; i >= 0; i--) {
            cognito.createUser(pool, "user-" + i, VIEWER_PASSWORD, i % 2 == 0 ? "viewer" : "admin");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(listUsers("5", cursor), 200);
            assertTrue(page.get("items").size() <= 5);
            seen.addAll(usernames(page));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        List<String> expected = new ArrayList<>(List.of("amina.otieno", "kisumu-viewer"));
        for (int i = 0; i < 10; i++) {
            expected.add("user-" + i);
        }
        assertEquals(expected, seen);

        String next = ok(listUsers("5", null), 200).get("next_cursor").asText();
        problem(call(listUsers("5", next + "x")), 400, "cursor");
        problem(call(listUsers("5", "forged.cursor")), 400, "cursor");
        problem(call(listUsers("0", null)), 400, "limit");
        problem(call(listUsers("101", null)), 400, "limit");
    }

    @Test
    void aUserInBothGroupsIsListedOnceAsAdmin() throws Exception {
        cognito.client().adminAddUserToGroup(b -> b.userPoolId(pool.poolId()).username("kisumu-viewer").groupName("admin"));
        JsonNode list = ok(listUsers(null, null), 200);
        assertEquals(List.of("amina.otieno", "kisumu-viewer"), usernames(list));
        assertEquals("admin", list.get("items").get(1).get("role").asText());
    }

    @Test
    void usersAreAdminOnlyGetIncluded() throws Exception {
        String body = json("username", "someone-new", "password", "Someone-New-1!", "role", "viewer");
        for (APIGatewayV2HTTPEvent event : List.of(
                as(listUsers(null, null), "kisumu-viewer", "[viewer]"),
                as(post("post-users.json", body), "kisumu-viewer", "[viewer]"),
                as(deleteUser("amina.otieno"), "kisumu-viewer", "[viewer]"),
                as(listUsers(null, null), "no-role", null))) {
            JsonNode p = problem(call(event), 403, null);
            assertEquals("/problems/forbidden", p.get("type").asText());
        }
        for (APIGatewayV2HTTPEvent event : List.of(anonymous(listUsers(null, null)), anonymous(post("post-users.json", body)),
                anonymous(deleteUser("amina.otieno")))) {
            problem(call(event), 401, null);
        }
        // nothing happened
        assertEquals(List.of("amina.otieno", "kisumu-viewer"), usernames(ok(listUsers(null, null), 200)));
        // groups as API Gateway may render several: "[admin viewer]"
        ok(as(listUsers(null, null), "amina.otieno", "[viewer admin]"), 200);
    }

    @Test
    void createValidatesEveryField() throws Exception {
        JsonNode p = problem(call(post("post-users.json", json("username", "ab", "password", " padded ", "role", "owner"))),
                400, "username");
        assertEquals(List.of("username", "password", "role"), p.get("errors").findValuesAsText("field"));
        problem(call(post("post-users.json", json("username", "x".repeat(129), "password", "Long-Name-1!", "role", "viewer"))),
                400, "username");
        problem(call(post("post-users.json", json("username", "has space", "password", "Has-Space-1!", "role", "viewer"))),
                400, "username");
        problem(call(post("post-users.json", json("username", "no-password", "role", "viewer"))), 400, "password");
        problem(call(post("post-users.json", json("username", "no-role", "password", "No-Role-2026!"))), 400, "role");
        problem(call(post("post-users.json", "{\"username\":")), 400, "body");
        assertEquals(List.of("amina.otieno", "kisumu-viewer"), usernames(ok(listUsers(null, null), 200)));
    }

    @Test
    void anExistingUsernameIs409() throws Exception {
        JsonNode p = problem(call(post("post-users.json",
                json("username", "kisumu-viewer", "password", "Another-Pass-1!", "role", "admin"))), 409, null);
        assertEquals("/problems/conflict", p.get("type").asText());
        // the existing user is untouched
        login("kisumu-viewer", VIEWER_PASSWORD);
    }

    @Test
    void aPasswordThePolicyRefusesIs400AndLeavesNoUserBehind() throws Exception {
        // cognito-local does not enforce the password policy; Cognito refuses with InvalidPasswordException.
        AtomicInteger refused = new AtomicInteger();
        ExecutionInterceptor policy = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof AdminSetUserPasswordRequest r && r.password().equals("weak")) {
                    refused.incrementAndGet();
                    throw InvalidPasswordException.builder()
                            .message("Password did not conform with policy: Password not long enough").statusCode(400).build();
                }
            }
        };
        try (CognitoIdentityProviderClient client = cognito.client(policy)) {
            AuthHandler strict = handler(client);
            APIGatewayV2HTTPResponse r = strict.handleRequest(post("post-users.json",
                    json("username", "weak-one", "password", "weak", "role", "viewer")), null);
            problem(r, 400, "password");
            assertEquals(1, refused.get());
            assertEquals(List.of("amina.otieno", "kisumu-viewer"), usernames(ok(listUsers(null, null), 200)));
            // a corrected retry is not a 409
            assertEquals(201, strict.handleRequest(post("post-users.json",
                    json("username", "weak-one", "password", "Strong-Enough-1!", "role", "viewer")), null).getStatusCode());
        }
    }

    @Test
    void unknownRouteIs404() throws Exception {
        APIGatewayV2HTTPEvent event = post("post-auth-login.json", "{}");
        event.setRouteKey("POST /v1/auth/whoami");
        problem(call(event), 404, null);
    }

    static List<String> usernames(JsonNode page) {
        return page.get("items").findValuesAsText("username");
    }

    static ExecutionInterceptor failWith(String operation, RuntimeException error) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request().getClass().getSimpleName().equals(operation + "Request")) {
                    throw error;
                }
            }
        };
    }
}
