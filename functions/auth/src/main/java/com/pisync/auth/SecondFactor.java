package com.pisync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.domain.FieldError;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AssociateSoftwareTokenResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.EnableSoftwareTokenMfaException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SoftwareTokenMfaNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifySoftwareTokenResponseType;

/**
 * The second factor: TOTP through Cognito. A user enables it signed in ({@code POST /v1/auth/totp/setup}:
 * AssociateSoftwareToken with their access token, then {@code /verify}: VerifySoftwareToken and
 * SetUserMFAPreference); from then on {@code POST /v1/auth/login} answers {@code {"challenge": "totp",
 * "session"}} and {@code POST /v1/auth/login/totp} completes it (RespondToAuthChallenge SOFTWARE_TOKEN_MFA).
 * {@code POST /v1/auth/totp/disable} with a current code turns it off (GetUser, VerifySoftwareToken,
 * SetUserMFAPreference); an admin's reset is {@link UserDirectory#resetTotp}.
 *
 * <p>None of these calls needs AWS credentials: Cognito authenticates them by the user's access token or the
 * sign-in session and the public app client id, so the function's role needs no new permission.
 */
final class SecondFactor {

    /** Cognito's sign-in session is 20 to 2048 characters. */
    static final int MAX_SESSION = 2048;
    /** What the authenticator app shows as the account's issuer. */
    static final String ISSUER = "PiSync";
    static final String BAD_CODE = "The code is not the current code of your authenticator app.";
    /** Cognito's name of the TOTP factor in a user's MFA settings. */
    static final String SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA";
    static final String BAD_SESSION = "The sign-in session is invalid or has expired; sign in again with your password.";

    private final CognitoIdentityProviderClient cognito;
    private final String clientId;

    SecondFactor(CognitoIdentityProviderClient cognito, String clientId) {
        this.cognito = cognito;
        this.clientId = clientId;
    }

    /** The login answer for a user with TOTP enabled. */
    static ObjectNode challenge(String session) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("challenge", "totp");
        n.put("session", session);
        return n;
    }

    /**
     * {@code {"username", "session", "code"}} → 200 with the tokens; 401 naming {@code code} for a wrong code,
     * naming {@code session} for an expired or forged session.
     */
    APIGatewayV2HTTPResponse login(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        String username = Bodies.requiredText(body, "username", errors);
        String session = Bodies.requiredText(body, "session", errors);
        String code = code(body, errors);
        Bodies.check("The second-factor sign-in request is invalid.", errors);
        if (username.length() > SignIn.MAX_USERNAME || session.length() > MAX_SESSION) {
            throw refused("session", BAD_SESSION);
        }
        RespondToAuthChallengeResponse response;
        try {
            response = cognito.respondToAuthChallenge(b -> b.clientId(clientId)
                    .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session(session)
                    .challengeResponses(Map.of("USERNAME", username, "SOFTWARE_TOKEN_MFA_CODE", code)));
        } catch (CodeMismatchException | ExpiredCodeException e) {
            throw refused("code", BAD_CODE);
        } catch (CognitoIdentityProviderException e) {
            if (CognitoErrors.refused(e) || e instanceof InvalidParameterException) {
                throw refused("session", BAD_SESSION); // expired / used session, unknown user, forged session
            }
            throw CognitoErrors.unlessThrottled(e);
        }
        if (response.authenticationResult() == null || response.authenticationResult().accessToken() == null) {
            throw refused("session", BAD_SESSION); // another challenge: not one this API completes
        }
        return HttpApi.json(200, SignIn.tokens(response.authenticationResult()));
    }

    /** 200 {@code {"secret_code", "otpauth_uri"}}: a new authenticator for the signed-in user, not yet enabled. */
    APIGatewayV2HTTPResponse setup(APIGatewayV2HTTPEvent request) {
        Caller caller = Caller.of(request);
        String accessToken = accessToken(request);
        AssociateSoftwareTokenResponse response;
        try {
            response = cognito.associateSoftwareToken(b -> b.accessToken(accessToken));
        } catch (NotAuthorizedException | InvalidParameterException | ResourceNotFoundException e) {
            // a token Cognito cannot use (revoked, signed out, not an access token; cognito-local: of no app client)
            throw Caller.unauthorized();
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.unlessThrottled(e);
        }
        String secret = response.secretCode();
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("secret_code", secret);
        n.put("otpauth_uri", otpauthUri(caller.username(), secret));
        return HttpApi.json(200, n);
    }

    /**
     * {@code {"code"}} → 200 {@code {"totp_enabled": true}} once the code of the authenticator from
     * {@link #setup} is right; the next sign-in asks for a code. 400 naming {@code code} for a wrong code or
     * when no authenticator is being set up.
     */
    APIGatewayV2HTTPResponse verify(APIGatewayV2HTTPEvent request, JsonNode body) {
        Caller.of(request);
        String accessToken = accessToken(request);
        List<FieldError> errors = new ArrayList<>();
        String code = code(body, errors);
        Bodies.check("The verification request is invalid.", errors);
        try {
            var result = cognito.verifySoftwareToken(b -> b.accessToken(accessToken).userCode(code)
                    .friendlyDeviceName(ISSUER));
            if (result.status() != VerifySoftwareTokenResponseType.SUCCESS) {
                throw wrongCode(BAD_CODE);
            }
            cognito.setUserMFAPreference(b -> b.accessToken(accessToken)
                    .softwareTokenMfaSettings(s -> s.enabled(true).preferredMfa(true)));
        } catch (CodeMismatchException | EnableSoftwareTokenMfaException | ExpiredCodeException e) {
            throw wrongCode(BAD_CODE);
        } catch (SoftwareTokenMfaNotFoundException | InvalidParameterException e) {
            throw wrongCode("No authenticator is being set up: call POST /v1/auth/totp/setup first.");
        } catch (NotAuthorizedException | ResourceNotFoundException e) {
            throw Caller.unauthorized();
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.unlessThrottled(e);
        }
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("totp_enabled", true);
        return HttpApi.json(200, n);
    }

    /**
     * {@code {"code"}} → 200 {@code {"totp_enabled": false}}: the signed-in user turns the second factor off, proving
     * they still hold the authenticator with its current code (VerifySoftwareToken checks it against the registered
     * secret); the next sign-in asks for the password only. Already off: 200 the same, nothing changes. 400 naming
     * {@code code} for a wrong code. A user who lost the authenticator asks an admin
     * ({@code DELETE /v1/users/{username}/totp}).
     *
     * @return whether it was on (and is now off)
     */
    boolean disable(APIGatewayV2HTTPEvent request, JsonNode body) {
        Caller.of(request);
        String accessToken = accessToken(request);
        List<FieldError> errors = new ArrayList<>();
        String code = code(body, errors);
        Bodies.check("The request to turn the second factor off is invalid.", errors);
        try {
            var user = cognito.getUser(b -> b.accessToken(accessToken));
            if (!user.hasUserMFASettingList() || !user.userMFASettingList().contains(SOFTWARE_TOKEN_MFA)) {
                return false;
            }
            var result = cognito.verifySoftwareToken(b -> b.accessToken(accessToken).userCode(code)
                    .friendlyDeviceName(ISSUER));
            if (result.status() != VerifySoftwareTokenResponseType.SUCCESS) {
                throw wrongCode(BAD_CODE);
            }
            cognito.setUserMFAPreference(b -> b.accessToken(accessToken)
                    .softwareTokenMfaSettings(s -> s.enabled(false).preferredMfa(false)));
        } catch (CodeMismatchException | EnableSoftwareTokenMfaException | ExpiredCodeException e) {
            throw wrongCode(BAD_CODE);
        } catch (NotAuthorizedException | InvalidParameterException | ResourceNotFoundException | UserNotFoundException e) {
            throw Caller.unauthorized(); // a token Cognito cannot use (revoked, signed out, of no app client)
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.unlessThrottled(e);
        }
        return true;
    }

    /** The answer of {@link #disable}. */
    static APIGatewayV2HTTPResponse disabled() {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("totp_enabled", false);
        return HttpApi.json(200, n);
    }

    /** The key URI authenticator apps read (Google Authenticator's format): issuer, account, secret. */
    static String otpauthUri(String username, String secret) {
        String label = enc(ISSUER) + ":" + enc(username);
        return "otpauth://totp/" + label + "?secret=" + enc(secret) + "&issuer=" + enc(ISSUER)
                + "&algorithm=SHA1&digits=6&period=30";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A six-digit code, as a string (leading zeros matter). */
    private static String code(JsonNode body, List<FieldError> errors) {
        String code = Bodies.requiredText(body, "code", errors);
        if (code != null && !code.matches("[0-9]{6}")) {
            errors.add(new FieldError("code", "must be the 6 digits your authenticator app shows"));
            return null;
        }
        return code;
    }

    /** The caller's own access token (the authorizer has verified it). */
    private static String accessToken(APIGatewayV2HTTPEvent request) {
        String header = HttpApi.header(request, "Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw Caller.unauthorized();
        }
        return header.substring(7).strip();
    }

    private static ApiProblem refused(String field, String detail) {
        return new ApiProblem(401, "/problems/unauthorized", "Unauthorized", detail,
                List.of(new FieldError(field, detail)));
    }

    private static ApiProblem wrongCode(String detail) {
        return ApiProblem.badRequest(detail, List.of(new FieldError("code", detail)));
    }
}
