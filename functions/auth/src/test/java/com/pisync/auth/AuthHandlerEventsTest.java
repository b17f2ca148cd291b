package com.pisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;

/** The sample events under events/auth, fed as they are to the handler, against cognito-local. */
class AuthHandlerEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalCognito cognito = TestBed.shared().cognito();
    private LocalCognito.UserPool pool;
    private AuthHandler handler;

    @BeforeEach
    void newPool() {
        pool = cognito.createPool("auth-events-" + UUID.randomUUID());
        // the users the samples name, with the password of the login sample
        cognito.createUser(pool, "amina.otieno", "correct-Horse-battery-staple-7", "admin");
        handler = new AuthHandler(cognito.client(), pool.poolId(), pool.clientId(), AuthHandlerTest.CURSORS,
                Clock.systemUTC());
    }

    private JsonNode call(APIGatewayV2HTTPEvent event, int status) throws Exception {
        assertTrue(AuthHandler.ROUTES.contains(event.getRouteKey()), event.getRouteKey());
        APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
        assertEquals(status, r.getStatusCode(), r.getBody());
        return r.getBody() == null ? null : JSON.readTree(r.getBody());
    }

    @ParameterizedTest
    @Event(value = "events/auth/post-auth-login.json", type = APIGatewayV2HTTPEvent.class)
    void login(APIGatewayV2HTTPEvent event) throws Exception {
        JsonNode tokens = call(event, 200);
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertTrue(tokens.hasNonNull("access_token") && tokens.hasNonNull("refresh_token"));
    }

    @ParameterizedTest
    @Event(value = "events/auth/post-auth-refresh.json", type = APIGatewayV2HTTPEvent.class)
    void refreshWithTheSamplesPlaceholderTokenIs401(APIGatewayV2HTTPEvent event) throws Exception {
        assertEquals("/problems/unauthorized", call(event, 401).get("type").asText());
    }

    @ParameterizedTest
    @Event(value = "events/auth/post-auth-logout.json", type = APIGatewayV2HTTPEvent.class)
    void logoutOfAnUnknownTokenIs204(APIGatewayV2HTTPEvent event) throws Exception {
        call(event, 204);
    }

    @ParameterizedTest
    @Event(value = "events/auth/get-users.json", type = APIGatewayV2HTTPEvent.class)
    void listUsers(APIGatewayV2HTTPEvent event) throws Exception {
        JsonNode page = call(event, 200);
        assertEquals("amina.otieno", page.get("items").get(0).get("username").asText());
        assertEquals("admin", page.get("items").get(0).get("role").asText());
        assertTrue(page.get("next_cursor").isNull());
    }

    @ParameterizedTest
    @Event(value = "events/auth/post-users.json", type = APIGatewayV2HTTPEvent.class)
    void createUser(APIGatewayV2HTTPEvent event) throws Exception {
        JsonNode created = call(event, 201);
        assertEquals("kisumu-dashboard", created.get("username").asText());
        assertEquals("viewer", created.get("role").asText());
        call(event, 409);
    }

    @ParameterizedTest
    @Event(value = "events/auth/delete-user.json", type = APIGatewayV2HTTPEvent.class)
    void deleteUser(APIGatewayV2HTTPEvent event) throws Exception {
        cognito.createUser(pool, "kisumu-dashboard", "Lake-Victoria-2026!", "viewer");
        call(event, 204);
        call(event, 404);
    }

    @ParameterizedTest
    @Event(value = "events/auth/post-auth-login-totp.json", type = APIGatewayV2HTTPEvent.class)
    void totpSignInWithTheSamplesSessionIs401(APIGatewayV2HTTPEvent event) throws Exception {
        assertEquals("/problems/unauthorized", call(event, 401).get("type").asText());
    }

    @ParameterizedTest
    @Event(value = "events/auth/post-auth-totp-setup.json", type = APIGatewayV2HTTPEvent.class)
    void totpSetupWithTheSamplesPlaceholderTokenIs401(APIGatewayV2HTTPEvent event) throws Exception {
        call(event, 401);
    }

    @ParameterizedTest
    @Event(value = "events/auth/post-auth-totp-verify.json", type = APIGatewayV2HTTPEvent.class)
    void totpVerifyWithTheSamplesPlaceholderTokenIsRefused(APIGatewayV2HTTPEvent event) throws Exception {
        assertTrue(handler.handleRequest(event, null).getStatusCode() / 100 == 4);
    }
}
