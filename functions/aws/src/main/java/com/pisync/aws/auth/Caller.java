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
 *
 * <p>Sites are Cognito groups too: a user in group {@code site:<site>} (the site percent-encoded, see
 * {@link #siteGroup}) is bound to that site, and sees and acts on only the sites of their groups. Groups,
 * not a custom attribute, because Cognito puts groups into the access token ({@code cognito:groups}), the
 * token API Gateway's JWT authorizer verifies; custom attributes only reach the ID token.
 */
public record Caller(String username, Set<String> groups) {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    /** The group name prefix of a site binding. */
    public static final String SITE_GROUP_PREFIX = "site:";

    /** The sites this caller is bound to; empty: not bound, every site. */
    public Set<String> sites() {
        return groups.stream().filter(g -> g.startsWith(SITE_GROUP_PREFIX)).map(Caller::siteOfGroup)
                .filter(java.util.Objects::nonNull).collect(Collectors.toUnmodifiableSet());
    }

    /** True when bound to sites: sees only those. */
    public boolean siteBound() {
        return groups.stream().anyMatch(g -> g.startsWith(SITE_GROUP_PREFIX));
    }

    /** True when this caller may see and act on things of {@code site} (a thing without a site: unbound callers only). */
    public boolean canSee(String site) {
        return !siteBound() || (site != null && sites().contains(site));
    }

    /** An admin without sites: the only one who manages users and subscriptions and reads the audit log. */
    public boolean fleetAdmin() {
        return groups.contains(ADMIN) && !siteBound();
    }

    /**
     * 403 unless {@link #fleetAdmin()}; call after {@link #authorize} or {@link #of}.
     *
     * @param what "manage users", "read the audit log"...
     */
    public Caller requireFleetAdmin(String what) {
        if (!fleetAdmin()) {
            throw new ApiProblem(403, "/problems/forbidden", "Forbidden", "Only an admin not bound to sites may "
                    + what + ".", List.of());
        }
        return this;
    }

    /**
     * The Cognito group of a site: {@code site:} + the site percent-encoded as UTF-8 (letters, digits and
     * {@code -._~} stay as they are), so that any site name makes a valid group name without spaces or commas
     * (API Gateway passes the groups claim as one space-separated string).
     */
    public static String siteGroup(String site) {
        StringBuilder out = new StringBuilder(SITE_GROUP_PREFIX);
        for (byte b : site.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The site of a {@link #siteGroup} name, or null when it is not one. */
    public static String siteOfGroup(String group) {
        if (!group.startsWith(SITE_GROUP_PREFIX)) {
            return null;
        }
        try {
            return java.net.URLDecoder.decode(group.substring(SITE_GROUP_PREFIX.length()).replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

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
