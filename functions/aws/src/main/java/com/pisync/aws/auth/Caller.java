package com.pisync.aws.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.pisync.aws.http.ApiProblem;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin calling a dashboard route, as API Gateway's JWT authorizer describes it: the verified
 * Cognito access token's claims in {@code requestContext.authorizer.jwt.claims}. Roles are Cognito
 * groups: {@code admin} may do everything, {@code viewer} may only read.
 */
public record Caller(String username, Set<String> groups) {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    /**
     * @throws ApiProblem 401 when the request carries no verified token (the authorizer would have
     *     refused it; a function reached without one refuses too)
     */
    public static Caller of(APIGatewayV2HTTPEvent request) {
        Map<String, String> claims = claims(request);
        if (claims == null || claims.get("sub") == null) {
            throw unauthorized();
        }
        String username = claims.getOrDefault("username", claims.get("cognito:username"));
        return new Caller(username == null ? claims.get("sub") : username, groups(claims.get("cognito:groups")));
    }

    /** Reads need any role; everything else needs admin. */
    public static Caller authorize(APIGatewayV2HTTPEvent request, boolean readOnly) {
        Caller caller = of(request);
        boolean allowed = caller.groups().contains(ADMIN) || (readOnly && caller.groups().contains(VIEWER));
        if (!allowed) {
            throw new ApiProblem(403, "/problems/forbidden", "Forbidden",
                    readOnly ? "Your account has no PiSync role; ask an admin to add you to 'viewer' or 'admin'."
                            : "This needs the 'admin' role; your account may only read.",
                    List.of());
        }
        return caller;
    }

    public static ApiProblem unauthorized() {
        return new ApiProblem(401, "/problems/unauthorized", "Unauthorized",
                "Sign in and send the access token as 'Authorization: Bearer <token>'.", List.of());
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent request) {
        var context = request.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
            return null;
        }
        return context.getAuthorizer().getJwt().getClaims();
    }

    /** API Gateway passes array claims as "[admin viewer]" (or JSON "["admin","viewer"]"). */
    static Set<String> groups(String claim) {
        if (claim == null || claim.isBlank()) {
            return Set.of();
        }
        String inner = claim.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        return Arrays.stream(inner.split("[,\\s]+")).map(g -> g.replace("\"", "").strip()).filter(g -> !g.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
