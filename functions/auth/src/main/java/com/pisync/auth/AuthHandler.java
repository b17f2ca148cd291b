package com.pisync.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.audit.AuditLog;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.domain.AuditEntry;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.Cursors;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.observability.Log;
import com.pisync.aws.http.QueryParams;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Admin identity: sign-in (with a TOTP second factor, {@link SecondFactor}), refresh and sign-out against the Cognito user pool's public app client (routes
 * without an authorizer), and the dashboard users (routes behind the JWT authorizer, admin only — a viewer
 * gets 403 even on GET /v1/users).
 *
 * <p>Settings: {@code COGNITO_USER_POOL_ID}, {@code COGNITO_CLIENT_ID}, {@code CURSOR_SIGNING_KEY} (list
 * cursors), {@code AWS_REGION}; {@code COGNITO_ENDPOINT} points the client at a local server.
 */
public final class AuthHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Every route this function serves, as API Gateway names them (the OpenAPI test checks them). */
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

    /** The routes that take no token (no authorizer in front of them). */
    public static final List<String> PUBLIC_ROUTES = ROUTES.subList(0, 4);

    private final SignIn signIn;
    private final SecondFactor secondFactor;
    private final UserDirectory users;
    private final AuditLog audit;
    private final Clock clock;

    public AuthHandler() {
        this(System.getenv());
    }

    private AuthHandler(Map<String, String> env) {
        this(CognitoClients.fromEnvironment(env), CognitoClients.required(env, "COGNITO_USER_POOL_ID"),
                CognitoClients.required(env, "COGNITO_CLIENT_ID"), Cursors.fromEnvironment(env),
                new DynamoAuditLog(AwsClients.fromEnvironment().dynamoDb(), PiSyncConfig.from(env).auditTable()),
                Clock.systemUTC());
    }

    /**
     * @param clientId the pool's app client without secret that allows USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH
     *     (and has token revocation on): the audience of the API's JWT authorizer
     * @param clock the time source, like the other handlers' (every time this function reports comes from Cognito)
     */
    public AuthHandler(CognitoIdentityProviderClient cognito, String userPoolId, String clientId, Cursors cursors,
            Clock clock) {
        this(cognito, userPoolId, clientId, cursors, AuditLog.NONE, clock);
    }

    /** @param audit where user changes and failed sign-ins are recorded */
    public AuthHandler(CognitoIdentityProviderClient cognito, String userPoolId, String clientId, Cursors cursors,
            AuditLog audit, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.signIn = new SignIn(cognito, Objects.requireNonNull(clientId, "clientId"));
        this.secondFactor = new SecondFactor(cognito, clientId);
        this.users = new UserDirectory(cognito, Objects.requireNonNull(userPoolId, "userPoolId"),
                Objects.requireNonNull(cursors, "cursors"), audit);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return HttpApi.handle(request, () -> {
            String route = HttpApi.route(request);
            return switch (route) {
                case "POST /v1/auth/login" -> {
                    JsonNode body = Bodies.object(request);
                    try {
                        yield signIn.login(body);
                    } catch (ApiProblem refused) {
                        if (refused.status() == 401) {
                            recordFailedSignIn(request, body, null);
                        }
                        throw refused;
                    }
                }
                case "POST /v1/auth/login/totp" -> {
                    JsonNode body = Bodies.object(request);
                    try {
                        yield secondFactor.login(body);
                    } catch (ApiProblem refused) {
                        if (refused.status() == 401) {
                            recordFailedSignIn(request, body, "totp");
                        }
                        throw refused;
                    }
                }
                case "POST /v1/auth/totp/setup" -> secondFactor.setup(request);
                case "POST /v1/auth/totp/verify" -> {
                    APIGatewayV2HTTPResponse enabled = secondFactor.verify(request, Bodies.object(request));
                    recordTotp(request, true);
                    yield enabled;
                }
                case "POST /v1/auth/totp/disable" -> {
                    if (secondFactor.disable(request, Bodies.object(request))) {
                        recordTotp(request, false);
                    }
                    yield SecondFactor.disabled();
                }
                case "POST /v1/auth/refresh" -> signIn.refresh(Bodies.object(request));
                case "POST /v1/auth/logout" -> signIn.logout(Bodies.object(request));
                case "GET /v1/users" -> {
                    requireAdmin(request);
                    yield users.list(new QueryParams(request));
                }
                case "POST /v1/users" -> {
                    requireAdmin(request);
                    yield users.create(Bodies.object(request), AuditContext.of(request, clock));
                }
                case "PATCH /v1/users/{username}" -> {
                    requireAdmin(request);
                    yield users.patch(username(request), Bodies.object(request), AuditContext.of(request, clock));
                }
                case "DELETE /v1/users/{username}" -> {
                    requireAdmin(request);
                    yield users.delete(username(request), AuditContext.of(request, clock));
                }
                case "DELETE /v1/users/{username}/totp" -> {
                    requireAdmin(request);
                    yield users.resetTotp(username(request), AuditContext.of(request, clock));
                }
                default -> throw ApiProblem.notFound("No route " + route + ".");
            };
        });
    }

    /**
     * Users are for admins not bound to sites, GET included: 401 without a verified token, 403 for any other role
     * and for a site-bound admin.
     */
    private static Caller requireAdmin(APIGatewayV2HTTPEvent request) {
        return Caller.of(request).requireFleetAdmin("manage users");
    }

    private static String username(APIGatewayV2HTTPEvent request) {
        Map<String, String> path = request.getPathParameters() == null ? Map.of() : request.getPathParameters();
        return path.get("username");
    }

    /**
     * A user who turned TOTP on or off: {@code user.update} with {@code after: {"totp_enabled": true|false}} (never
     * the secret), recorded once Cognito has done it (Cognito and the audit table share no transaction; a failed
     * write is logged, the answer stays 200: the change is made).
     */
    private void recordTotp(APIGatewayV2HTTPEvent request, boolean enabled) {
        try {
            AuditContext context = AuditContext.of(request, clock);
            audit.record(context.entry("user.update", "user", context.actor(), null,
                    HttpApi.JSON.createObjectNode().put("totp_enabled", enabled)));
        } catch (RuntimeException e) {
            Log.of("auth").error("could not record a second factor turned " + (enabled ? "on" : "off"),
                    java.util.Map.of(), e);
        }
    }

    /**
     * Every refused sign-in is recorded: the username tried (as actor and target; never the password), the
     * request id and source IP. A write failure does not change the answer (still 401); it is logged.
     */
    private void recordFailedSignIn(APIGatewayV2HTTPEvent request, JsonNode body, String factor) {
        JsonNode u = body.get("username");
        String username = u != null && u.isTextual() && !u.asText().isEmpty()
                ? u.asText().substring(0, Math.min(u.asText().length(), SignIn.MAX_USERNAME)) : AuditEntry.ANONYMOUS;
        try {
            AuditContext context = AuditContext.of(request, username, clock);
            // A wrong second factor is a failed sign-in too; "after" says which factor failed (never the code).
            JsonNode after = factor == null ? null : HttpApi.JSON.createObjectNode().put("factor", factor);
            audit.record(context.entry("auth.login_failed", "user", username, null, after));
        } catch (RuntimeException e) {
            Log.of("auth").error("could not record a failed sign-in", java.util.Map.of(), e);
        }
    }
}
