package com.pisync.local;

import com.pisync.testbed.Totp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The TOTP second factor end to end through the local stack and cognito-local (which implements
 * AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference and the SOFTWARE_TOKEN_MFA challenge):
 * set up and verified by the signed-in user with a code computed here (RFC 6238), then every sign-in answers
 * the challenge, a wrong code is a 401 naming {@code code} and is recorded in the audit log like a wrong password.
 */
class TotpSignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Totp-Passw0rd!";

    @Test
    void rfc6238TestVector() {
        // RFC 6238 appendix B, SHA1, T = 59 s: 94287082 (8 digits) -> 287082 with 6 digits.
        assertEquals("287082", Totp.code("12345678901234567890".getBytes(StandardCharsets.US_ASCII), 59 / 30));
    }

    @Test
    void aUserEnablesTotpAndThenSignsInWithACode() throws Exception {
        OpenApiContractTest.readSpec();
        LocalCognito cognito = TestBed.shared().cognito();
        String id = UUID.randomUUID().toString().substring(0, 6);
        LocalCognito.UserPool pool = cognito.createPool("totp-" + id);
        String user = "totp-admin-" + id;
        cognito.createUser(pool, user, PASSWORD, "admin");
        LocalPiSync stack = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3, false).withIdentity(cognito, pool);

        // without a second factor: tokens at once
        JsonNode first = post(stack, null, "/v1/auth/login", login(user), 200);
        String access = first.get("access_token").asText();
        assertNull(first.get("challenge"));

        // setup: a secret and the URI authenticator apps read
        assertEquals(401, stack.serve("POST", "/v1/auth/totp/setup", null, Map.of()).getStatusCode());
        JsonNode setup = post(stack, access, "/v1/auth/totp/setup", null, 200);
        String secret = setup.get("secret_code").asText();
        assertTrue(secret.matches("[A-Z2-7]{16,}=*"), secret);
        String uri = setup.get("otpauth_uri").asText();
        assertTrue(uri.startsWith("otpauth://totp/PiSync:" + user + "?secret=" + secret + "&issuer=PiSync"), uri);

        // verify: bad codes are 400 naming code; the right one enables TOTP
        assertProblem(call(stack, access, "/v1/auth/totp/verify", "{\"code\":\"12ab56\"}"), 400, "code");
        assertProblem(call(stack, access, "/v1/auth/totp/verify", "{}"), 400, "code");
        assertProblem(call(stack, access, "/v1/auth/totp/verify", "{\"code\":\"" + Totp.wrongCode(secret, Instant.now())
                + "\"}"), 400, "code");
        // still no second factor until verified
        assertTrue(post(stack, null, "/v1/auth/login", login(user), 200).has("access_token"));
        JsonNode verified = post(stack, access, "/v1/auth/totp/verify", "{\"code\":\"" + Totp.code(secret, Instant.now())
                + "\"}", 200);
        assertTrue(verified.get("totp_enabled").asBoolean());

        // sign-in now asks for the code
        JsonNode challenge = post(stack, null, "/v1/auth/login", login(user), 200);
        assertEquals("totp", challenge.get("challenge").asText());
        String session = challenge.get("session").asText();
        assertFalse(challenge.has("access_token"), challenge.toString());
        // a wrong password is still a plain 401, no challenge
        assertEquals(401, call(stack, null, "/v1/auth/login", "{\"username\":\"" + user
                + "\",\"password\":\"Wrong-Passw0rd!\"}").getStatusCode());

        // validation names the field; a wrong code is 401 naming code, recorded without the code
        String wrong = Totp.wrongCode(secret, Instant.now());
        assertProblem(call(stack, null, "/v1/auth/login/totp", "{}"), 400, "username", "session", "code");
        assertProblem(call(stack, null, "/v1/auth/login/totp", totp(user, session, "1234567")), 400, "code");
        assertProblem(call(stack, null, "/v1/auth/login/totp", totp(user, session, wrong)), 401, "code");
        JsonNode failed = post(stack, access, "/v1/audit?action=auth.login_failed&actor=" + user, null, 200, "GET");
        assertEquals(2, failed.get("items").size(), failed.toString()); // the wrong password, then the wrong code
        assertEquals("totp", failed.get("items").get(0).get("after").get("factor").asText());
        assertTrue(failed.get("items").get(1).get("after").isNull(), failed.toString());
        assertFalse(failed.toString().contains(wrong));
        JsonNode enabled = post(stack, access, "/v1/audit?action=user.update&target_id=" + user, null, 200, "GET");
        assertTrue(enabled.get("items").get(0).get("after").get("totp_enabled").asBoolean(), enabled.toString());
        assertFalse(enabled.toString().contains(secret));

        // the right code: the tokens, which work
        JsonNode challenge2 = post(stack, null, "/v1/auth/login", login(user), 200);
        JsonNode tokens = post(stack, null, "/v1/auth/login/totp", totp(user, challenge2.get("session").asText(),
                Totp.code(secret, Instant.now())), 200);
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertTrue(tokens.get("expires_in").asInt() > 0);
        assertEquals(200, stack.serve("GET", "/v1/devices?limit=1", null,
                Map.of("Authorization", "Bearer " + tokens.get("access_token").asText())).getStatusCode());

        // turning it off takes a current code: none or a wrong one is 400 naming code and changes nothing
        String signedIn = tokens.get("access_token").asText();
        assertProblem(call(stack, signedIn, "/v1/auth/totp/disable", "{}"), 400, "code");
        assertProblem(call(stack, signedIn, "/v1/auth/totp/disable", "{\"code\":\""
                + Totp.wrongCode(secret, Instant.now()) + "\"}"), 400, "code");
        // (API Gateway's authorizer answers a missing token itself, in its own shape)
        assertEquals(401, stack.serve("POST", "/v1/auth/totp/disable", "{\"code\":\"123456\"}", Map.of()).getStatusCode());
        assertEquals("totp", post(stack, null, "/v1/auth/login", login(user), 200).get("challenge").asText());
        JsonNode off = post(stack, signedIn, "/v1/auth/totp/disable", "{\"code\":\"" + Totp.code(secret, Instant.now())
                + "\"}", 200);
        assertFalse(off.get("totp_enabled").asBoolean());
        JsonNode passwordOnly = post(stack, null, "/v1/auth/login", login(user), 200);
        assertTrue(passwordOnly.has("access_token") && !passwordOnly.has("challenge"), passwordOnly.toString());
        // already off: the same answer, nothing more recorded
        assertFalse(post(stack, signedIn, "/v1/auth/totp/disable", "{\"code\":\"000000\"}", 200)
                .get("totp_enabled").asBoolean());
        JsonNode changes = post(stack, access, "/v1/audit?action=user.update&target_id=" + user, null, 200, "GET");
        assertEquals(2, changes.get("items").size(), changes.toString()); // on, then off
        assertFalse(changes.get("items").get(0).get("after").get("totp_enabled").asBoolean(), changes.toString());
        assertEquals(user, changes.get("items").get(0).get("actor").asText());
    }

    @Test
    void anAdminTurnsOffTheTotpOfAUserWhoLostTheirAuthenticator() throws Exception {
        OpenApiContractTest.readSpec();
        LocalCognito cognito = TestBed.shared().cognito();
        String id = UUID.randomUUID().toString().substring(0, 6);
        LocalCognito.UserPool pool = cognito.createPool("totp-reset-" + id);
        String admin = "reset-admin-" + id;
        String teacher = "reset-teacher-" + id;
        cognito.createUser(pool, admin, PASSWORD, "admin");
        cognito.createUser(pool, teacher, PASSWORD, "viewer");
        LocalPiSync stack = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3, false).withIdentity(cognito, pool);
        String adminToken = post(stack, null, "/v1/auth/login", login(admin), 200).get("access_token").asText();
        String teacherToken = post(stack, null, "/v1/auth/login", login(teacher), 200).get("access_token").asText();
        String secret = post(stack, teacherToken, "/v1/auth/totp/setup", null, 200).get("secret_code").asText();
        post(stack, teacherToken, "/v1/auth/totp/verify", "{\"code\":\"" + Totp.code(secret, Instant.now()) + "\"}", 200);
        assertEquals("totp", post(stack, null, "/v1/auth/login", login(teacher), 200).get("challenge").asText());

        // only an admin not bound to sites may; an unknown user is 404
        assertEquals(403, delete(stack, teacherToken, "/v1/users/" + teacher + "/totp").getStatusCode());
        assertEquals(401, stack.serve("DELETE", "/v1/users/" + teacher + "/totp", null, Map.of()).getStatusCode());
        assertEquals(404, delete(stack, adminToken, "/v1/users/nobody-" + id + "/totp").getStatusCode());
        assertEquals("totp", post(stack, null, "/v1/auth/login", login(teacher), 200).get("challenge").asText());

        // the reset: the password alone signs in again; idempotent; recorded with the admin as actor
        assertEquals(204, delete(stack, adminToken, "/v1/users/" + teacher + "/totp").getStatusCode());
        JsonNode passwordOnly = post(stack, null, "/v1/auth/login", login(teacher), 200);
        assertTrue(passwordOnly.has("access_token") && !passwordOnly.has("challenge"), passwordOnly.toString());
        assertEquals(204, delete(stack, adminToken, "/v1/users/" + teacher + "/totp").getStatusCode());
        JsonNode changes = post(stack, adminToken, "/v1/audit?action=user.update&target_id=" + teacher, null, 200, "GET");
        assertEquals(admin, changes.get("items").get(0).get("actor").asText(), changes.toString());
        assertFalse(changes.get("items").get(0).get("after").get("totp_enabled").asBoolean(), changes.toString());
        // and the user may set up a new authenticator
        assertTrue(post(stack, passwordOnly.get("access_token").asText(), "/v1/auth/totp/setup", null, 200)
                .has("secret_code"));
    }

    /** A DELETE by a signed-in user, its answer checked against the OpenAPI document. */
    private static APIGatewayV2HTTPResponse delete(LocalPiSync stack, String token, String path) throws Exception {
        APIGatewayV2HTTPResponse r = stack.serve("DELETE", path, null, Map.of("Authorization", "Bearer " + token));
        OpenApiContractTest.check("DELETE", "/v1/users/{username}/totp", r);
        return r;
    }

    private static String login(String user) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}";
    }

    private static String totp(String user, String session, String code) {
        return "{\"username\":\"" + user + "\",\"session\":\"" + session + "\",\"code\":\"" + code + "\"}";
    }

    /** A POST, its answer checked against the OpenAPI document's schema for that route and status. */
    private static APIGatewayV2HTTPResponse call(LocalPiSync stack, String token, String path, String body)
            throws Exception {
        APIGatewayV2HTTPResponse r = stack.serve("POST", path, body,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
        if (path.startsWith("/v1/auth/") && r.getHeaders() != null && r.getHeaders().containsKey("Content-Type")) {
            OpenApiContractTest.check("POST", path, r);
        }
        return r;
    }

    private static JsonNode post(LocalPiSync stack, String token, String path, String body, int status) throws Exception {
        return post(stack, token, path, body, status, "POST");
    }

    private static JsonNode post(LocalPiSync stack, String token, String path, String body, int status, String method)
            throws Exception {
        APIGatewayV2HTTPResponse r = method.equals("POST") ? call(stack, token, path, body) : stack.serve(method, path,
                body, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
        assertEquals(status, r.getStatusCode(), method + " " + path + ": " + r.getBody());
        return JSON.readTree(r.getBody());
    }

    private static void assertProblem(APIGatewayV2HTTPResponse r, int status, String... fields) throws Exception {
        assertEquals(status, r.getStatusCode(), r.getBody());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"), r.getBody());
        JsonNode body = JSON.readTree(r.getBody());
        for (String field : fields) {
            boolean named = false;
            for (JsonNode e : body.path("errors")) {
                named |= field.equals(e.path("field").asText());
            }
            assertTrue(named, field + " in " + body);
        }
    }
}
