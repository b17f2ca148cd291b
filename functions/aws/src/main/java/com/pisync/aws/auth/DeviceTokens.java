package com.pisync.aws.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device credentials: {@code pdt.<device id, base64url>.<credential version>.<HMAC-SHA256>}, signed
 * with a key only the ingest and admin functions hold. Verifying one costs no database read; a
 * rotated-away or decommissioned token is refused because its version is no longer the device's
 * current one, which the ingest function reads anyway, in the same query as the device's pending
 * sync requests ({@code SyncRequestStore.inbox}). Tokens are never stored, not even hashed: the
 * version is all the server keeps.
 */
public final class DeviceTokens {

    /** What a valid token says: which device, which version of its credential. */
    public record Credential(String deviceId, long version) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String PREFIX = "pdt.";

    private final SecretKeySpec key;

    public DeviceTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("device token key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** From {@code DEVICE_TOKEN_KEY}; changing it invalidates every device token. */
    public static DeviceTokens fromEnvironment(Map<String, String> env) {
        String value = env.get("DEVICE_TOKEN_KEY");
        if (value == null || value.length() < 32) {
            throw new IllegalStateException("DEVICE_TOKEN_KEY must be set to at least 32 characters");
        }
        return new DeviceTokens(value.getBytes(StandardCharsets.UTF_8));
    }

    public String issue(String deviceId, long version) {
        String body = PREFIX + B64.encodeToString(deviceId.getBytes(StandardCharsets.UTF_8)) + "." + version;
        return body + "." + B64.encodeToString(mac(body));
    }

    /** @return the credential, or null when the token is not one this key signed */
    public Credential verify(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 256) {
            return null;
        }
        int last = token.lastIndexOf('.');
        int middle = token.lastIndexOf('.', last - 1);
        if (middle <= PREFIX.length() - 1 || last <= middle) {
            return null;
        }
        String body = token.substring(0, last);
        try {
            if (!MessageDigest.isEqual(B64D.decode(token.substring(last + 1)), mac(body))) {
                return null;
            }
            String deviceId = new String(B64D.decode(token.substring(PREFIX.length(), middle)), StandardCharsets.UTF_8);
            return new Credential(deviceId, Long.parseLong(token.substring(middle + 1, last)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
