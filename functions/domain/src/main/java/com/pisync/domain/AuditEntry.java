package com.pisync.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the audit log: who changed what through the admin API (or failed to sign in), with the
 * target's state before and after. Entries are written once and never changed; they expire after
 * {@link #RETENTION}.
 *
 * <p>The id is derived from the request id, the action and the target, so writing the entry of a retried
 * request again is recognised as the same entry (a conditional put fails): a retry writes neither the
 * change nor the entry twice.
 *
 * <p>{@code before} and {@code after} never carry secrets: {@link #redact} removes every field whose name says
 * password, token, secret or hash (at any depth) before an entry is made.
 */
public record AuditEntry(
        String auditId,
        Instant at,
        String actor,
        String action,
        String targetType,
        String targetId,
        JsonNode before,
        JsonNode after,
        String requestId,
        String sourceIp) {

    public static final Duration RETENTION = Duration.ofDays(400);
    /** The actor of a request without a signed-in caller (a failed sign-in). */
    public static final String ANONYMOUS = "anonymous";
    private static final Set<String> SECRET_WORDS = Set.of("password", "token", "secret", "hash");
    /** Credentials by exact name (a TOTP code, a sign-in session), not as parts of other names (error_code). */
    private static final Set<String> SECRET_NAMES = Set.of("code", "session", "totp", "otp");

    public AuditEntry {
        Objects.requireNonNull(auditId, "auditId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        before = redact(before);
        after = redact(after);
    }

    /** A new entry with its id derived from {@code requestId}, {@code action} and {@code targetId}. */
    public static AuditEntry of(Instant at, String actor, String action, String targetType, String targetId,
            JsonNode before, JsonNode after, String requestId, String sourceIp) {
        return new AuditEntry(idFor(requestId, action, targetType, targetId), at, actor, action, targetType,
                targetId, before, after, requestId, sourceIp);
    }

    /**
     * {@code aud_} + 32 hex characters of SHA-256 over the request id, action, target type and id: the same request
     * changing the same target the same way gives the same id, whichever attempt writes it.
     */
    public static String idFor(String requestId, String action, String targetType, String targetId) {
        String source = (requestId == null ? "" : requestId) + "\n" + action + "\n" + targetType + "\n" + targetId;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return "aud_" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When DynamoDB's TTL deletes the entry. */
    public Instant expiresAt() {
        return at.plus(RETENTION);
    }

    /** A deep copy of {@code node} without any field whose name looks like a credential; null stays null. */
    public static JsonNode redact(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    /** True for field names that would hold a secret: password, device_token, token_hash, client_secret... */
    public static boolean secretField(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("token_version")) {
            return false; // a counter, not a credential
        }
        if (SECRET_NAMES.contains(lower)) {
            return true;
        }
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (secretField(f.getKey())) {
                    fields.remove();
                } else {
                    strip(f.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(AuditEntry::strip);
        }
    }
}
