package com.pisync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.audit.AuditLog;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.Cursors;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.observability.Log;
import com.pisync.aws.http.QueryParams;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.FieldError;
import com.pisync.domain.UnicodeText;
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
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupExistsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersInGroupResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * The dashboard's users: Cognito users of the pool whose role is their group, {@code admin} or
 * {@code viewer}, and whose sites are their {@code site:<site>} groups (see {@link Caller#siteGroup}): the access
 * token carries both in {@code cognito:groups}, so every function enforces them from the verified token alone. A
 * change of role or sites reaches the user's tokens at their next sign-in or refresh (access tokens live 60 minutes).
 *
 * <p>Listing reads the role groups' members (ListUsersInGroup, 60 a call) and each site group's members (ListGroups,
 * then ListUsersInGroup per site group): a few calls for the tens of users and sites a school district has, the role
 * and sites come with the memberships, and only users with a PiSync role are listed. The pages are cut from the
 * merged, username-sorted membership with PiSync's own signed cursor (the last username shown), so the order is
 * stable and a page never depends on Cognito's pagination tokens. Not meant for thousands of users.
 *
 * <p>Audit: every change is recorded ({@code user.create}, {@code user.update}, {@code user.delete}). Cognito cannot
 * join a DynamoDB transaction, so the entry is written first (write-ahead), after every check that can be made
 * without changing anything, with an id derived from API Gateway's request id; then Cognito is changed. A retry of
 * the same request finds its entry (the conditional put fails) and re-applies the change, which is idempotent
 * (memberships are sets; a user already created by this request is not a conflict). If Cognito refuses the change
 * after the entry was written, a {@code <action>.failed} entry follows. A crash between the two writes leaves an
 * entry for a change that did not happen, never a change without an entry.
 */
final class UserDirectory {

    static final String LIST_QUERY = "GET /v1/users";
    /** Cognito's username rule: letters, marks, symbols, digits, punctuation; no spaces or control characters. */
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
    /** Cognito's password rule (API level): no leading or trailing white space. The pool's policy comes on top. */
    private static final Pattern PASSWORD = Pattern.compile("\\S(.*\\S)?", Pattern.DOTALL);
    private static final int MIN_USERNAME = 3;
    private static final int GROUP_PAGE = 60;
    /** Cognito allows 100 groups per user; one is the role. */
    static final int MAX_SITES = 50;
    private static final int MAX_GROUP_NAME = 128;
    private static final Set<String> ROLES = Set.of(Caller.ADMIN, Caller.VIEWER);

    private final CognitoIdentityProviderClient cognito;
    private final String poolId;
    private final Cursors cursors;
    private final AuditLog audit;

    UserDirectory(CognitoIdentityProviderClient cognito, String poolId, Cursors cursors, AuditLog audit) {
        this.cognito = cognito;
        this.poolId = poolId;
        this.cursors = cursors;
        this.audit = audit;
    }

    /** A user as the API shows it (and the audit log keeps it). */
    record User(String username, String role, List<String> sites, Instant createdAt, boolean enabled) {
        ObjectNode view() {
            ObjectNode n = HttpApi.JSON.createObjectNode();
            n.put("username", username);
            n.put("role", role);
            ArrayNode array = n.putArray("sites");
            sites.forEach(array::add);
            if (createdAt == null) {
                n.putNull("created_at");
            } else {
                n.put("created_at", createdAt.truncatedTo(ChronoUnit.MILLIS).toString());
            }
            n.put("enabled", enabled);
            return n;
        }

        /** What the audit log keeps: who, role, sites. */
        ObjectNode audited() {
            ObjectNode n = HttpApi.JSON.createObjectNode();
            n.put("username", username);
            n.put("role", role);
            ArrayNode array = n.putArray("sites");
            sites.forEach(array::add);
            return n;
        }
    }

    /**
     * 201 {username, role, sites, created_at, enabled}: the user can sign in at once; 409 when the username is taken;
     * 400 naming each bad field.
     */
    APIGatewayV2HTTPResponse create(JsonNode body, AuditContext context) {
        List<FieldError> errors = new ArrayList<>();
        String username = Bodies.requiredText(body, "username", errors);
        if (username != null && !validUsername(username)) {
            errors.add(new FieldError("username", "must be 3 to 128 characters without spaces or control characters"));
        }
        String password = Bodies.requiredText(body, "password", errors);
        if (password != null && (password.length() > SignIn.MAX_PASSWORD || !PASSWORD.matcher(password).matches())) {
            errors.add(new FieldError("password", "does not satisfy the password policy"));
        }
        String role = role(body, true, errors);
        List<String> sites = sites(body, errors);
        Bodies.check("The user is invalid.", errors);
        List<String> siteList = sites == null ? List.of() : sites;

        User existing = find(username);
        AuditEntry entry = context.entry("user.create", "user", username, null,
                new User(username, role, siteList, null, true).audited());
        if (existing != null && !replayed(entry)) {
            throw new ApiProblem(409, "/problems/conflict", "Conflict", "User " + username + " already exists.", List.of());
        }
        audit.record(entry); // write-ahead; false on a retry of this request
        try {
            cognito.adminCreateUser(b -> b.userPoolId(poolId).username(username).messageAction(MessageActionType.SUPPRESS));
        } catch (UsernameExistsException e) {
            if (existing == null) { // taken meanwhile by another request
                failed(context, entry);
                throw new ApiProblem(409, "/problems/conflict", "Conflict", "User " + username + " already exists.",
                        List.of());
            }
            // this request created it before (a retry): finish the job below
        } catch (InvalidParameterException e) {
            failed(context, entry);
            throw ApiProblem.badRequest("The user is invalid.",
                    List.of(new FieldError("username", "is not accepted by the user pool")));
        } catch (CognitoIdentityProviderException e) {
            failed(context, entry);
            throw CognitoErrors.unlessThrottled(e);
        }
        // Cognito checks the password policy only here, after the user exists: undo the creation on any failure
        // so that a corrected retry is not a 409, and no half-made user (no password, no role) stays behind.
        try {
            cognito.adminSetUserPassword(b -> b.userPoolId(poolId).username(username).password(password).permanent(true));
            cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(username).groupName(role));
            for (String site : siteList) {
                joinSite(username, site);
            }
        } catch (RuntimeException e) {
            undoCreate(username);
            failed(context, entry);
            if (e instanceof InvalidPasswordException) {
                throw ApiProblem.badRequest("The user is invalid.",
                        List.of(new FieldError("password", "does not satisfy the password policy")));
            }
            throw e instanceof CognitoIdentityProviderException c ? CognitoErrors.unlessThrottled(c) : e;
        }
        User created = find(username);
        return HttpApi.json(201, (created != null ? created : new User(username, role, siteList, null, true)).view());
    }

    /** 200 the user after the change: {@code role} and/or {@code sites} ([] unbinds); 404 for an unknown user. */
    APIGatewayV2HTTPResponse patch(String username, JsonNode body, AuditContext context) {
        if (!validUsername(username)) {
            throw notFound(username);
        }
        List<FieldError> errors = new ArrayList<>();
        String role = role(body, false, errors);
        List<String> sites = sites(body, errors);
        if (errors.isEmpty() && role == null && sites == null) {
            errors.add(new FieldError("body", "must set at least one of role, sites"));
        }
        Bodies.check("The change is invalid.", errors);
        User before = find(username);
        if (before == null) {
            throw notFound(username);
        }
        User after = new User(username, role != null ? role : before.role(), sites != null ? sites : before.sites(),
                before.createdAt(), before.enabled());
        AuditEntry entry = context.entry("user.update", "user", username, before.audited(), after.audited());
        audit.record(entry);
        try {
            if (!after.role().equals(before.role())) {
                cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(username).groupName(after.role()));
                cognito.adminRemoveUserFromGroup(b -> b.userPoolId(poolId).username(username).groupName(before.role()));
            }
            for (String site : after.sites()) {
                if (!before.sites().contains(site)) {
                    joinSite(username, site);
                }
            }
            for (String site : before.sites()) {
                if (!after.sites().contains(site)) {
                    cognito.adminRemoveUserFromGroup(b -> b.userPoolId(poolId).username(username)
                            .groupName(Caller.siteGroup(site)));
                }
            }
        } catch (UserNotFoundException e) {
            failed(context, entry);
            throw notFound(username);
        } catch (CognitoIdentityProviderException e) {
            failed(context, entry);
            throw CognitoErrors.unlessThrottled(e);
        }
        User now = find(username);
        return HttpApi.json(200, (now != null ? now : after).view());
    }

    /** A page of users sorted by username: {items: [{username, role, sites, created_at, enabled}], next_cursor}. */
    APIGatewayV2HTTPResponse list(QueryParams params) {
        int limit = params.limit();
        String cursor = params.cursor();
        params.check();
        Map<String, String> position = cursors.decode(LIST_QUERY + "?" + params.filters(), cursor);
        String after = position == null ? null : position.get("after");

        NavigableMap<String, User> users = new TreeMap<>();
        members(Caller.VIEWER, users);
        members(Caller.ADMIN, users); // in both groups: admin wins
        Map<String, List<String>> sites = siteMemberships();
        NavigableMap<String, User> rest = after == null ? users : users.tailMap(after, false);

        ObjectNode page = HttpApi.JSON.createObjectNode();
        ArrayNode items = page.putArray("items");
        Iterator<Map.Entry<String, User>> it = rest.entrySet().iterator();
        String last = null;
        while (it.hasNext() && items.size() < limit) {
            Map.Entry<String, User> e = it.next();
            User u = e.getValue();
            items.add(new User(u.username(), u.role(), sites.getOrDefault(u.username(), List.of()), u.createdAt(),
                    u.enabled()).view());
            last = e.getKey();
        }
        if (it.hasNext()) {
            page.put("next_cursor", cursors.encode(LIST_QUERY + "?" + params.filters(), Map.of("after", last)));
        } else {
            page.putNull("next_cursor");
        }
        return HttpApi.json(200, page);
    }

    /**
     * An admin turns a user's TOTP off (a lost authenticator): 204, and the user's next sign-in asks for the password
     * only; they may set up a new authenticator. 404 for an unknown user. Recorded as {@code user.update} with
     * {@code after: {"totp_enabled": false}}, before Cognito is asked (a failure is recorded too, as for every change).
     */
    APIGatewayV2HTTPResponse resetTotp(String username, AuditContext context) {
        if (!validUsername(username) || find(username) == null) {
            throw notFound(username);
        }
        AuditEntry entry = context.entry("user.update", "user", username, null,
                HttpApi.JSON.createObjectNode().put("totp_enabled", false));
        audit.record(entry);
        try {
            cognito.adminSetUserMFAPreference(b -> b.userPoolId(poolId).username(username)
                    .softwareTokenMfaSettings(s -> s.enabled(false).preferredMfa(false)));
        } catch (UserNotFoundException e) {
            failed(context, entry);
            throw notFound(username);
        } catch (CognitoIdentityProviderException e) {
            failed(context, entry);
            throw CognitoErrors.unlessThrottled(e);
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of("Cache-Control", "no-store"))
                .build();
    }

    /** 204; 404 when there is no such user. */
    APIGatewayV2HTTPResponse delete(String username, AuditContext context) {
        if (!validUsername(username)) {
            throw notFound(username);
        }
        User before = find(username);
        AuditEntry entry = context.entry("user.delete", "user", username, before == null ? null : before.audited(), null);
        if (before == null) {
            if (replayed(entry)) { // this request deleted it (a retry)
                return noContent();
            }
            throw notFound(username);
        }
        audit.record(entry);
        try {
            cognito.adminDeleteUser(b -> b.userPoolId(poolId).username(username));
        } catch (UserNotFoundException e) {
            // deleted meanwhile: gone either way
        } catch (CognitoIdentityProviderException e) {
            failed(context, entry);
            throw CognitoErrors.unlessThrottled(e);
        }
        return noContent();
    }

    private static APIGatewayV2HTTPResponse noContent() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of("Cache-Control", "no-store"))
                .build();
    }

    /** True when the entry of this very request exists: it is a retry. */
    private boolean replayed(AuditEntry entry) {
        return audit.contains(entry.auditId());
    }

    /** Records that a change written ahead did not happen. */
    private void failed(AuditContext context, AuditEntry entry) {
        try {
            audit.record(context.entry(entry.action() + ".failed", entry.targetType(), entry.targetId(), entry.before(),
                    null));
        } catch (RuntimeException e) {
            Log.of("auth").error("could not record a failed change", java.util.Map.of("audit_id", entry.auditId()), e);
        }
    }

    /** The user with role and sites, or null when unknown (or without a PiSync role). */
    private User find(String username) {
        try {
            var user = cognito.adminGetUser(b -> b.userPoolId(poolId).username(username));
            List<String> groups = new ArrayList<>();
            String next = null;
            do {
                String token = next;
                var page = cognito.adminListGroupsForUser(b -> b.userPoolId(poolId).username(username).limit(60)
                        .nextToken(token));
                page.groups().forEach(g -> groups.add(g.groupName()));
                next = page.nextToken();
            } while (next != null && !next.isEmpty());
            String role = groups.contains(Caller.ADMIN) ? Caller.ADMIN : groups.contains(Caller.VIEWER) ? Caller.VIEWER : null;
            List<String> sites = groups.stream().map(Caller::siteOfGroup).filter(java.util.Objects::nonNull).sorted()
                    .toList();
            return new User(user.username(), role == null ? "none" : role, sites, user.userCreateDate(),
                    user.enabled() == null || user.enabled());
        } catch (UserNotFoundException e) {
            return null;
        } catch (CognitoIdentityProviderException e) {
            throw CognitoErrors.unlessThrottled(e);
        }
    }

    /** Adds the user to the site's group, creating the group the first time a user is bound to the site. */
    private void joinSite(String username, String site) {
        String group = Caller.siteGroup(site);
        try {
            cognito.getGroup(b -> b.userPoolId(poolId).groupName(group));
        } catch (ResourceNotFoundException missing) {
            try {
                cognito.createGroup(b -> b.userPoolId(poolId).groupName(group)
                        .description("PiSync: users bound to site " + site));
            } catch (GroupExistsException raced) {
                // made meanwhile
            }
        }
        cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(username).groupName(group));
    }

    /** Username → sorted sites, from every site group's members. */
    private Map<String, List<String>> siteMemberships() {
        Map<String, List<String>> sites = new java.util.HashMap<>();
        String next = null;
        do {
            String token = next;
            var page = cognito.listGroups(b -> b.userPoolId(poolId).limit(60).nextToken(token));
            for (var group : page.groups()) {
                String site = Caller.siteOfGroup(group.groupName());
                if (site != null) {
                    Map<String, User> members = new TreeMap<>();
                    members(group.groupName(), members);
                    members.keySet().forEach(u -> sites.computeIfAbsent(u, k -> new ArrayList<>()).add(site));
                }
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        sites.values().forEach(list -> list.sort(null));
        return sites;
    }

    private static boolean validUsername(String username) {
        return username != null && username.length() >= MIN_USERNAME && username.length() <= SignIn.MAX_USERNAME
                && USERNAME.matcher(username).matches();
    }

    private static String role(JsonNode body, boolean required, List<FieldError> errors) {
        JsonNode roleNode = body.get("role");
        if (roleNode == null || roleNode.isNull()) {
            if (required) {
                errors.add(new FieldError("role", "is required"));
            }
            return null;
        }
        String role = roleNode.isTextual() ? roleNode.asText() : null;
        if (role == null || !ROLES.contains(role)) {
            errors.add(new FieldError("role", "must be admin or viewer"));
            return null;
        }
        return role;
    }

    /** The optional {@code sites}: null when absent; each a non-blank site name as devices name them, no duplicates. */
    static List<String> sites(JsonNode body, List<FieldError> errors) {
        JsonNode v = body.get("sites");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.size() > MAX_SITES) {
            errors.add(new FieldError("sites", "must be an array of at most " + MAX_SITES + " site names"));
            return null;
        }
        java.util.TreeSet<String> sites = new java.util.TreeSet<>();
        int before = errors.size();
        for (int i = 0; i < v.size(); i++) {
            JsonNode s = v.get(i);
            if (!s.isTextual() || s.textValue().isBlank() || s.textValue().length() > 64) {
                errors.add(new FieldError("sites[" + i + "]", "must be a non-blank string of at most 64 characters"));
            } else if (!UnicodeText.isWellFormed(s.textValue())) {
                errors.add(new FieldError("sites[" + i + "]", UnicodeText.RULE));
            } else if (Caller.siteGroup(s.textValue().strip()).length() > MAX_GROUP_NAME) {
                errors.add(new FieldError("sites[" + i + "]", "is too long once encoded as a group name (at most "
                        + MAX_GROUP_NAME + " characters; non-ASCII characters count 9)"));
            } else {
                sites.add(s.textValue().strip());
            }
        }
        return errors.size() > before ? null : List.copyOf(sites);
    }

    private void members(String group, Map<String, User> into) {
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
                into.put(user.username(), new User(user.username(), group, List.of(), user.userCreateDate(),
                        user.enabled() == null || user.enabled()));
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
    }

    private void undoCreate(String username) {
        try {
            cognito.adminDeleteUser(b -> b.userPoolId(poolId).username(username));
        } catch (RuntimeException e) {
            Log.of("auth").error("could not delete half-created user", java.util.Map.of("username", username), e);
        }
    }

    private static ApiProblem notFound(String username) {
        return ApiProblem.notFound("No user " + username + ".");
    }
}
