package com.pisync.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.Cursors;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.http.QueryParams;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Admin identity: sign-in, refresh and sign-out against the Cognito user pool's public app client (routes
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
            "POST /v1/auth/refresh",
            "POST /v1/auth/logout",
            "GET /v1/users",
            "POST /v1/users",
            "DELETE /v1/users/{username}");

    /** The routes that take no token (no authorizer in front of them). */
    public static final List<String> PUBLIC_ROUTES = ROUTES.subList(0, 3);

    private final SignIn signIn;
    private final UserDirectory users;

    public AuthHandler() {
        this(System.getenv());
    }

    private AuthHandler(Map<String, String> env) {
        this(CognitoClients.fromEnvironment(env), CognitoClients.required(env, "COGNITO_USER_POOL_ID"),
                CognitoClients.required(env, "COGNITO_CLIENT_ID"), Cursors.fromEnvironment(env), Clock.systemUTC());
    }

    /**
     * @param clientId the pool's app client without secret that allows USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH
     *     (and has token revocation on): the audience of the API's JWT authorizer
     * @param clock the time source, like the other handlers' (every time this function reports comes from Cognito)
     */
    public AuthHandler(CognitoIdentityProviderClient cognito, String userPoolId, String clientId, Cursors cursors,
            Clock clock) {
        Objects.requireNonNull(clock, "clock");
        this.signIn = new SignIn(cognito, Objects.requireNonNull(clientId, "clientId"));
        this.users = new UserDirectory(cognito, Objects.requireNonNull(userPoolId, "userPoolId"),
                Objects.requireNonNull(cursors, "cursors"));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return HttpApi.handle(request, () -> {
            String route = HttpApi.route(request);
            return switch (route) {
                case "POST /v1/auth/login" -> signIn.login(Bodies.object(request));
                case "POST /v1/auth/refresh" -> signIn.refresh(Bodies.object(request));
                case "POST /v1/auth/logout" -> signIn.logout(Bodies.object(request));
                case "GET /v1/users" -> {
                    requireAdmin(request);
                    yield users.list(new QueryParams(request));
                }
                case "POST /v1/users" -> {
                    requireAdmin(request);
                    yield users.create(Bodies.object(request));
                }
                case "DELETE /v1/users/{username}" -> {
                    requireAdmin(request);
                    Map<String, String> path = request.getPathParameters() == null ? Map.of() : request.getPathParameters();
                    yield users.delete(path.get("username"));
                }
                default -> throw ApiProblem.notFound("No route " + route + ".");
            };
        });
    }

    /** Users are admin only, GET included: 401 without a verified token, 403 for any other role. */
    private static Caller requireAdmin(APIGatewayV2HTTPEvent request) {
        Caller caller = Caller.of(request);
        if (!caller.groups().contains(Caller.ADMIN)) {
            throw new ApiProblem(403, "/problems/forbidden", "Forbidden", "Only admins may manage users.", List.of());
        }
        return caller;
    }
}
