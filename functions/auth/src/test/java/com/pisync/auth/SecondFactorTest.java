package com.pisync.auth;

import static com.pisync.auth.AuthHandlerTest.event;
import static com.pisync.auth.AuthHandlerTest.failWith;
import static com.pisync.auth.AuthHandlerTest.json;
import static com.pisync.auth.AuthHandlerTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.EnableSoftwareTokenMfaException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SoftwareTokenMfaNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;

/**
 * The TOTP routes' answers to what real Cognito says and cognito-local does not (its exceptions injected in
 * the SDK client): Cognito's "Code mismatch" on VerifySoftwareToken (EnableSoftwareTokenMFAException), an
 * expired or used sign-in session (NotAuthorizedException), no authenticator associated, throttling. The
 * flows that cognito-local does implement are tested end to end in local/stack (TotpSignInTest).
 */
class SecondFactorTest {

    private final LocalCognito cognito = TestBed.shared().cognito();
    private LocalCognito.UserPool pool;

    @BeforeEach
    void newPool() {
        pool = cognito.createPool("totp-" + UUID.randomUUID());
        cognito.createUser(pool, "amina.otieno", "correct-Horse-battery-staple-7", "admin");
    }

    private APIGatewayV2HTTPResponse call(ExecutionInterceptor fault, APIGatewayV2HTTPEvent event) {
        try (CognitoIdentityProviderClient client = cognito.client(fault)) {
            return new AuthHandler(client, pool.poolId(), pool.clientId(), AuthHandlerTest.CURSORS, Clock.systemUTC())
                    .handleRequest(event, null);
        }
    }

    private static APIGatewayV2HTTPEvent loginTotp(String code) {
        APIGatewayV2HTTPEvent e = event("post-auth-login-totp.json");
        e.setBody(json("username", "amina.otieno", "session", "AYABeC1zZXNzaW9uLWV4YW1wbGU", "code", code));
        return e;
    }

    @Test
    void anExpiredSessionIs401NamingSessionAndAStaleCode401NamingCode() throws Exception {
        problem(call(failWith("RespondToAuthChallenge", NotAuthorizedException.builder()
                .message("Invalid session for the user, session is expired.").statusCode(400).build()),
                loginTotp("123456")), 401, "session");
        problem(call(failWith("RespondToAuthChallenge", ExpiredCodeException.builder().message("expired").statusCode(400)
                .build()), loginTotp("123456")), 401, "code");
        problem(call(failWith("RespondToAuthChallenge", TooManyRequestsException.builder().message("slow down")
                .statusCode(400).build()), loginTotp("123456")), 429, null);
    }

    @Test
    void theSecondStepValidatesItsBody() throws Exception {
        APIGatewayV2HTTPEvent e = event("post-auth-login-totp.json");
        e.setBody(json("username", "amina.otieno", "session", "s".repeat(30), "code", 123456));
        problem(call(failWith("None", new IllegalStateException()), e), 400, "code");
        e.setBody(json("code", "12345"));
        APIGatewayV2HTTPResponse r = call(failWith("None", new IllegalStateException()), e);
        problem(r, 400, "username");
        assertTrue(r.getBody().contains("\"session\"") && r.getBody().contains("\"code\""), r.getBody());
    }

    @Test
    void cognitosCodeMismatchOnVerifyIs400NamingCode() throws Exception {
        problem(call(failWith("VerifySoftwareToken", EnableSoftwareTokenMfaException.builder().message("Code mismatch")
                .statusCode(400).build()), event("post-auth-totp-verify.json")), 400, "code");
        problem(call(failWith("VerifySoftwareToken", SoftwareTokenMfaNotFoundException.builder().message("not found")
                .statusCode(400).build()), event("post-auth-totp-verify.json")), 400, "code");
        problem(call(failWith("VerifySoftwareToken", NotAuthorizedException.builder().message("revoked")
                .statusCode(400).build()), event("post-auth-totp-verify.json")), 401, null);
    }

    @Test
    void setupWithATokenCognitoRefusesIs401() throws Exception {
        problem(call(failWith("AssociateSoftwareToken", NotAuthorizedException.builder().message("Access Token has been revoked")
                .statusCode(400).build()), event("post-auth-totp-setup.json")), 401, null);
    }

    @Test
    void theOtpauthUriEncodesTheAccount() {
        assertEquals("otpauth://totp/PiSync:amina%20o%2Bx?secret=JBSWY3DP&issuer=PiSync&algorithm=SHA1&digits=6&period=30",
                SecondFactor.otpauthUri("amina o+x", "JBSWY3DP"));
    }
}
