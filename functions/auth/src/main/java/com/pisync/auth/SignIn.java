package com.pisync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.HttpApi;
import com.pisync.domain.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedTokenTypeException;

/**
 * Sign-in, refresh and sign-out of dashboard users: the public app client's USER_PASSWORD_AUTH and
 * REFRESH_TOKEN_AUTH flows and RevokeToken. These calls need no AWS credentials (Cognito authenticates
 * them by the app client id), so the function's role needs no permission for them.
 */
final class SignIn {

    /** Cognito's limits: usernames at most 128 characters, passwords at most 256. Longer ones cannot match. */
    static final int MAX_USERNAME = 128;
    static final int MAX_PASSWORD = 256;
    private static final int MAX_REFRESH_TOKEN = 16_384;
    /** When Cognito does not say (cognito-local) and the token cannot tell: Cognito's default access token life. */
    static final int DEFAULT_EXPIRES_IN = 3600;

    private final CognitoIdentityProviderClient cognito;
    private final String clientId;

    SignIn(CognitoIdentityProviderClient cognito, String clientId) {
        this.cognito = cognito;
        this.clientId = clientId;
    }

    /** 200 with tokens; 401 (one answer for every refusal) for wrong credentials or an unknown user. */
    APIGatewayV2HTTPResponse login(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        String username = Bodies.requiredText(body, "username", errors);
        String password = Bodies.requiredText(body, "password", errors);
        Bodies.check("The sign-in request is invalid.", errors);
        if (username.length() > MAX_USERNAME || password.length() > MAX_PASSWORD) {
            throw CognitoErrors.unauthorized(CognitoErrors.BAD_CREDENTIALS);
        }
        InitiateAuthResponse response;
        try {
            response = cognito.initiateAuth(b -> b.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.signInFailure(e, CognitoErrors.BAD_CREDENTIALS);
        }
        // A user with TOTP enabled: the password was right, the code comes next (POST /v1/auth/login/totp).
        if (response.challengeName() == ChallengeNameType.SELECT_MFA_TYPE) {
            response = selectTotp(username, response.session());
        }
        if (response.challengeName() == ChallengeNameType.SOFTWARE_TOKEN_MFA && response.session() != null) {
            return HttpApi.json(200, SecondFactor.challenge(response.session()));
        }
        // Any other challenge (new password required, SMS) is not a sign-in this API completes: users created
        // through POST /v1/users never get one; anyone else gets the same answer as a wrong password.
        if (response.authenticationResult() == null || response.authenticationResult().accessToken() == null) {
            throw CognitoErrors.unauthorized(CognitoErrors.BAD_CREDENTIALS);
        }
        return HttpApi.json(200, tokens(response.authenticationResult()));
    }

    /** Several factors enabled (not with this pool's TOTP-only MFA, but possible): choose TOTP. */
    private InitiateAuthResponse selectTotp(String username, String session) {
        try {
            var r = cognito.respondToAuthChallenge(b -> b.clientId(clientId).challengeName(ChallengeNameType.SELECT_MFA_TYPE)
                    .session(session).challengeResponses(Map.of("USERNAME", username, "ANSWER", "SOFTWARE_TOKEN_MFA")));
            return InitiateAuthResponse.builder().challengeName(r.challengeName()).session(r.session())
                    .authenticationResult(r.authenticationResult()).build();
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.signInFailure(e, CognitoErrors.BAD_CREDENTIALS);
        }
    }

    /** 200 with a new access and ID token (refresh_token only when Cognito rotates it); 401 for any bad token. */
    APIGatewayV2HTTPResponse refresh(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        String refreshToken = Bodies.requiredText(body, "refresh_token", errors);
        Bodies.check("The refresh request is invalid.", errors);
        if (refreshToken.length() > MAX_REFRESH_TOKEN) {
            throw CognitoErrors.unauthorized(CognitoErrors.BAD_REFRESH_TOKEN);
        }
        InitiateAuthResponse response;
        try {
            response = cognito.initiateAuth(b -> b.clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                    .authParameters(Map.of("REFRESH_TOKEN", refreshToken)));
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.signInFailure(e, CognitoErrors.BAD_REFRESH_TOKEN);
        }
        if (response.authenticationResult() == null || response.authenticationResult().accessToken() == null) {
            throw CognitoErrors.unauthorized(CognitoErrors.BAD_REFRESH_TOKEN);
        }
        return HttpApi.json(200, tokens(response.authenticationResult()));
    }

    /**
     * 204 once the refresh token is revoked. Idempotent: a token Cognito does not know (already revoked, expired,
     * forged, or not a refresh token) is also 204 — there is nothing left to sign out of.
     */
    APIGatewayV2HTTPResponse logout(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        String refreshToken = Bodies.requiredText(body, "refresh_token", errors);
        Bodies.check("The sign-out request is invalid.", errors);
        if (refreshToken.length() <= MAX_REFRESH_TOKEN) {
            try {
                cognito.revokeToken(b -> b.clientId(clientId).token(refreshToken));
            } catch (NotAuthorizedException | UnsupportedTokenTypeException | InvalidParameterException e) {
                // unknown or unusable token: nothing to revoke
            } catch (CognitoIdentityProviderException e) {
                throw CognitoErrors.unlessThrottled(e);
            }
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204)
                .withHeaders(Map.of("Cache-Control", "no-store")).build();
    }

    static ObjectNode tokens(AuthenticationResultType result) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("access_token", result.accessToken());
        n.put("id_token", result.idToken());
        if (result.refreshToken() != null) {
            n.put("refresh_token", result.refreshToken());
        }
        n.put("expires_in", result.expiresIn() != null && result.expiresIn() > 0
                ? result.expiresIn() : lifetime(result.accessToken()));
        n.put("token_type", "Bearer"); // Cognito says "Bearer"; cognito-local says nothing
        return n;
    }

    /** The access token's lifetime as issued ({@code exp - iat}), read from its (already trusted) payload. */
    static int lifetime(String accessToken) {
        try {
            String[] parts = accessToken.split("\\.");
            JsonNode claims = HttpApi.JSON.readTree(
                    new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            long seconds = claims.path("exp").asLong(0) - claims.path("iat").asLong(0);
            return seconds > 0 && seconds <= Integer.MAX_VALUE && claims.hasNonNull("iat")
                    ? (int) seconds : DEFAULT_EXPIRES_IN;
        } catch (Exception e) {
            return DEFAULT_EXPIRES_IN;
        }
    }
}
