package com.pisync.aws.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.domain.FieldError;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, signed list cursors. A cursor carries where the next page starts and a fingerprint of the
 * query it belongs to (route and filters), signed with HMAC-SHA256: a forged or edited cursor, or
 * one from another query, is refused with 400, never followed.
 */
public final class Cursors {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int SIGNATURE_BYTES = 16;

    private final SecretKeySpec key;

    public Cursors(byte[] signingKey) {
        if (signingKey.length < 16) {
            throw new IllegalArgumentException("cursor signing key must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(signingKey.clone(), "HmacSHA256");
    }

    /** From {@code CURSOR_SIGNING_KEY}; every container of a stage must share it. */
    public static Cursors fromEnvironment(Map<String, String> env) {
        String value = env.get("CURSOR_SIGNING_KEY");
        if (value == null || value.length() < 16) {
            throw new IllegalStateException("CURSOR_SIGNING_KEY must be set to at least 16 characters");
        }
        return new Cursors(value.getBytes(StandardCharsets.UTF_8));
    }

    /** @param query what the cursor is valid for, e.g. "GET /v1/devices?status=failing" */
    public String encode(String query, Map<String, String> position) {
        ObjectNode body = HttpApi.JSON.createObjectNode();
        body.put("q", fingerprint(query));
        ObjectNode p = body.putObject("p");
        position.forEach(p::put);
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(payload) + "." + B64.encodeToString(sign(payload));
    }

    /**
     * @return the position, or null when {@code cursor} is null (first page)
     * @throws ApiProblem 400 naming {@code cursor} when it is not one this query issued
     */
    public Map<String, String> decode(String query, String cursor) {
        if (cursor == null) {
            return null;
        }
        int dot = cursor.indexOf('.');
        try {
            if (dot <= 0 || cursor.length() > 4096) {
                throw invalid();
            }
            byte[] payload = B64D.decode(cursor.substring(0, dot));
            byte[] signature = B64D.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, sign(payload))) {
                throw invalid();
            }
            JsonNode body = HttpApi.JSON.readTree(payload);
            if (!fingerprint(query).equals(body.path("q").asText())) {
                throw invalid();
            }
            Map<String, String> position = new LinkedHashMap<>();
            body.path("p").fields().forEachRemaining(e -> position.put(e.getKey(), e.getValue().asText()));
            return position;
        } catch (ApiProblem p) {
            throw p;
        } catch (Exception e) {
            throw invalid();
        }
    }

    private static ApiProblem invalid() {
        return ApiProblem.badRequest("The cursor is not valid for this query; start again without a cursor.",
                List.of(new FieldError("cursor", "must be a next_cursor returned by this same query")));
    }

    private byte[] sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(payload);
            byte[] cut = new byte[SIGNATURE_BYTES];
            System.arraycopy(full, 0, cut, 0, SIGNATURE_BYTES);
            return cut;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static String fingerprint(String query) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(java.util.Arrays.copyOf(digest, 9));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
