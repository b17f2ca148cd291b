package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig.Throttle;
import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The auth function: sign-in, refresh and sign-out against the user pool's public app client (routes
 * without an authorizer: they are how one gets a token), and the dashboard users (admin routes behind the
 * JWT authorizer).
 *
 * <p>IAM: only the user-pool administration calls {@code UserDirectory} makes, on the pool's ARN.
 * {@code InitiateAuth} (login, refresh) and {@code RevokeToken} (logout) are public app-client APIs: Cognito
 * does not evaluate IAM policies for them (they are authorised by the client id and the user's password or
 * refresh token), so the role has no statement for them.
 */
public final class Auth extends Construct {

    public static final String HANDLER = "com.pisync.auth.AuthHandler::handleRequest";
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.seconds(10);
    /** Mirrors {@code com.pisync.auth.AuthHandler.ROUTES} (RoutesMatchCodeTest compares them). */
    public static final List<String> ROUTES = List.of(
            "POST /v1/auth/login",
            "POST /v1/auth/login/totp",
            "POST /v1/auth/refresh",
            "POST /v1/auth/logout",
            "POST /v1/auth/totp/setup",
            "POST /v1/auth/totp/verify",
            "POST /v1/auth/totp/disable",
            "GET /v1/users",
            "POST /v1/users",
            "PATCH /v1/users/{username}",
            "DELETE /v1/users/{username}",
            "DELETE /v1/users/{username}/totp");
    /** Mirrors {@code AuthHandler.PUBLIC_ROUTES}: no authorizer, strict throttle. */
    public static final List<String> PUBLIC_ROUTES = ROUTES.subList(0, 4);
    /** Password guessing through /v1/auth/* stays slow (Cognito's own per-user lockout applies as well). */
    public static final Throttle SIGN_IN_THROTTLE = new Throttle(5, 10);
    /** Exactly the Cognito calls of {@code com.pisync.auth.UserDirectory}, on the user pool ARN. */
    public static final List<String> USER_POOL_ACTIONS = List.of(
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminSetUserPassword",
            "cognito-idp:AdminAddUserToGroup",
            "cognito-idp:AdminDeleteUser",
            "cognito-idp:AdminSetUserMFAPreference", // an admin's TOTP reset
            "cognito-idp:ListUsersInGroup",
            "cognito-idp:AdminGetUser",
            "cognito-idp:AdminListGroupsForUser",
            "cognito-idp:AdminRemoveUserFromGroup",
            "cognito-idp:GetGroup",
            "cognito-idp:CreateGroup",
            "cognito-idp:ListGroups");
    static final String PUBLIC_ROUTE_REASON = "The sign-in routes (POST /v1/auth/login, /login/totp, /refresh, "
            + "/logout) are public by design: they are how an operator obtains a token (they take a password, a TOTP "
            + "code with Cognito's sign-in session, or a refresh token, checked by Cognito). Throttled to 5 requests/s (burst 10); wrong credentials get one 401 for all causes.";

    private final LiveFunction auth;

    public Auth(Construct scope, String id, FunctionFactory functions, Identity identity, Secret cursorSigningKey,
            Ingest api, Storage storage) {
        super(scope, id);

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("COGNITO_USER_POOL_ID", identity.userPool().getUserPoolId());
        environment.put("COGNITO_CLIENT_ID", identity.client().getUserPoolClientId());
        // The same key as the query function's: /v1/users cursors are dashboard cursors too.
        environment.putAll(functions.secretEnvironment("CURSOR_SIGNING_KEY", cursorSigningKey));
        auth = functions.create(this, "AuthFunction", new FunctionSpec(
                "auth",
                HANDLER,
                "PiSync: dashboard sign-in, refresh, sign-out and user administration (Cognito)",
                MEMORY_MB,
                TIMEOUT,
                environment));
        identity.userPool().grant(auth.role(), USER_POOL_ACTIONS.toArray(String[]::new));
        // User changes and failed sign-ins go to the audit log (append-only).
        storage.grantAuditAppend(auth.role());

        HttpLambdaIntegration integration = new HttpLambdaIntegration("AuthIntegration", auth.alias());
        for (String route : ROUTES) {
            if (PUBLIC_ROUTES.contains(route)) {
                api.addPublicRoute(route, integration, SIGN_IN_THROTTLE, PUBLIC_ROUTE_REASON);
            } else {
                api.addDashboardRoute(route, integration, Admin.THROTTLE, identity.authorizer());
            }
        }
    }

    public LiveFunction auth() {
        return auth;
    }
}
