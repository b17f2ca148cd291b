package com.pisync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.Cursors;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.http.QueryParams;
import com.pisync.domain.FieldError;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersInGroupResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * The dashboard's users: Cognito users of the pool whose role is their group, {@code admin} or
 * {@code viewer}.
 *
 * <p>Listing reads the two groups' members (ListUsersInGroup, 60 a call) rather than ListUsers plus one
 * AdminListGroupsForUser per user: two calls for a pool of up to 60 admins and 60 viewers instead of 1 + one per
 * user listed, the role comes with the membership, and only users with a PiSync role are listed. The pages are
 * cut from the merged, username-sorted membership with PiSync's own signed cursor (the last username shown),
 * so the order is stable and a page never depends on Cognito's pagination tokens. Each page reads both groups
 * whole: fine for the tens of dashboard users a fleet has, not meant for thousands.
 */
final class UserDirectory {

    static final String LIST_QUERY = "GET /v1/users";
    /** Cognito's username rule: letters, marks, symbols, digits, punctuation; no spaces or control characters. */
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
    /** Cognito's password rule (API level): no leading or trailing white space. The pool's policy comes on top. */
    private static final Pattern PASSWORD = Pattern.compile("\\S(.*\\S)?", Pattern.DOTALL);
    private static final int MIN_USERNAME = 3;
    private static final int GROUP_PAGE = 60;
    private static final Set<String> ROLES = Set.of(Caller.ADMIN, Caller.VIEWER);

    private final CognitoIdentityProviderClient cognito;
    private final String poolId;
    private final Cursors cursors;

    UserDirectory(CognitoIdentityProviderClient cognito, String poolId, Cursors cursors) {
        this.cognito = cognito;
        this.poolId = poolId;
        this.cursors = cursors;
    }

    /** 201 {username, role}: the user can sign in at once; 409 when the username is taken; 400 naming each bad field. */
    APIGatewayV2HTTPResponse create(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        String username = Bodies.requiredText(body, "username", errors);
        if (username != null && (username.length() < MIN_USERNAME || username.length() > SignIn.MAX_USERNAME
                || !USERNAME.matcher(username).matches())) {
            errors.add(new FieldError("username", "must be 3 to 128 characters without spaces or control characters"));
        }
        String password = Bodies.requiredText(body, "password", errors);
        if (password != null && (password.length() > SignIn.MAX_PASSWORD || !PASSWORD.matcher(password).matches())) {
            errors.add(new FieldError("password", "does not satisfy the password policy"));
        }
        JsonNode roleNode = body.get("role");
        String role = roleNode != null && roleNode.isTextual() ? roleNode.asText() : null;
        if (role == null || !ROLES.contains(role)) {
            errors.add(new FieldError("role", roleNode == null || roleNode.isNull() ? "is required" : "must be admin or viewer"));
        }
        Bodies.check("The user is invalid.", errors);

        try {
            cognito.adminCreateUser(b -> b.userPoolId(poolId).username(username).messageAction(MessageActionType.SUPPRESS));
        } catch (UsernameExistsException e) {
            throw new ApiProblem(409, "/problems/conflict", "Conflict", "User " + username + " already exists.", List.of());
        } catch (InvalidParameterException e) {
            throw ApiProblem.badRequest("The user is invalid.",
                    List.of(new FieldError("username", "is not accepted by the user pool")));
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.unlessThrottled(e);
        }
        // Cognito checks the password policy only here, after the user exists: undo the creation on any failure
        // so that a corrected retry is not a 409, and no half-made user (no password, no role) stays behind.
        try {
            cognito.adminSetUserPassword(b -> b.userPoolId(poolId).username(username).password(password).permanent(true));
            cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(username).groupName(role));
        } catch (RuntimeException e) {
            undoCreate(username);
            if (e instanceof InvalidPasswordException) {
                throw ApiProblem.badRequest("The user is invalid.",
                        List.of(new FieldError("password", "does not satisfy the password policy")));
            }
            throw e instanceof CognitoIdentityProviderException c ? CognitoErrors.unlessThrottled(c) : e;
        }
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("username", username);
        n.put("role", role);
        return HttpApi.json(201, n);
    }

    /** A page of users sorted by username: {items: [{username, role, created_at, enabled}], next_cursor}. */
    APIGatewayV2HTTPResponse list(QueryParams params) {
        int limit = params.limit();
        String cursor = params.cursor();
        params.check();
        Map<String, String> position = cursors.decode(LIST_QUERY + "?" + params.filters(), cursor);
        String after = position == null ? null : position.get("after");

        NavigableMap<String, ObjectNode> users = new TreeMap<>();
        members(Caller.VIEWER, users);
        members(Caller.ADMIN, users); // in both groups: admin wins
        NavigableMap<String, ObjectNode> rest = after == null ? users : users.tailMap(after, false);

        ObjectNode page = HttpApi.JSON.createObjectNode();
        ArrayNode items = page.putArray("items");
        Iterator<Map.Entry<String, ObjectNode>> it = rest.entrySet().iterator();
        String last = null;
        while (it.hasNext() && items.size() < limit) {
            Map.Entry<String, ObjectNode> e = it.next();
            items.add(e.getValue());
            last = e.getKey();
        }
        if (it.hasNext()) {
            page.put("next_cursor", cursors.encode(LIST_QUERY + "?" + params.filters(), Map.of("after", last)));
        } else {
            page.putNull("next_cursor");
        }
        return HttpApi.json(200, page);
    }

    /** 204; 404 when there is no such user. */
    APIGatewayV2HTTPResponse delete(String username) {
        if (username == null || username.length() < MIN_USERNAME || username.length() > SignIn.MAX_USERNAME
                || !USERNAME.matcher(username).matches()) {
            throw notFound(username);
        }
        try {
            cognito.adminDeleteUser(b -> b.userPoolId(poolId).username(username));
        } catch (UserNotFoundException e) {
            throw notFound(username);
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.unlessThrottled(e);
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of("Cache-Control", "no-store"))
                .build();
    }

    private void members(String group, Map<String, ObjectNode> into) {
        String next = null;
        do {
            String token = next;
            ListUsersInGroupResponse page;
            try {
                page = cognito.listUsersInGroup(b -> b.userPoolId(poolId).groupName(group).limit(GROUP_PAGE).nextToken(token));
            } catch (CognitoIdentityProviderException e) {
                throw CognitoErrors.unlessThrottled(e);
            }
            for (UserType user : page.users()) {
                into.put(user.username(), view(user, group));
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
    }

    private static ObjectNode view(UserType user, String role) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("username", user.username());
        n.put("role", role);
        Instant created = user.userCreateDate();
        if (created == null) {
            n.putNull("created_at");
        } else {
            n.put("created_at", created.truncatedTo(ChronoUnit.MILLIS).toString());
        }
        n.put("enabled", user.enabled() == null || user.enabled());
        return n;
    }

    private void undoCreate(String username) {
        try {
            cognito.adminDeleteUser(b -> b.userPoolId(poolId).username(username));
        } catch (RuntimeException e) {
            System.err.println("{\"level\":\"ERROR\",\"message\":\"could not delete half-created user\",\"username\":"
                    + HttpApi.JSON.valueToTree(username) + ",\"error\":" + HttpApi.JSON.valueToTree(e.toString()) + "}");
        }
    }

    private static ApiProblem notFound(String username) {
        return ApiProblem.notFound("No user " + username + ".");
    }
}
