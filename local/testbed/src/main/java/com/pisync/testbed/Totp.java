package com.pisync.testbed;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * For tests that sign in with a second factor: RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps) over an
 * RFC 4648 base32 secret, as authenticator apps do.
 */
public final class Totp {

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Totp() {
    }

    /** The code for the 30-second step holding {@code at}. */
    public static String code(String base32Secret, Instant at) {
        return code(decode(base32Secret), at.getEpochSecond() / 30);
    }

    /** RFC 4226 HOTP: dynamic truncation of HMAC-SHA1(key, counter), 6 digits. */
    public static String code(byte[] key, long counter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A code that is none of the codes accepted around {@code at} (one step either side). */
    public static String wrongCode(String base32Secret, Instant at) {
        java.util.Set<String> valid = new java.util.HashSet<>();
        for (int step = -2; step <= 2; step++) {
            valid.add(code(base32Secret, at.plusSeconds(30L * step)));
        }
        for (int c = 0;; c++) {
            String candidate = String.format(Locale.ROOT, "%06d", (c * 7919 + 123_457) % 1_000_000);
            if (!valid.contains(candidate)) {
                return candidate;
            }
        }
    }

    public static byte[] decode(String base32) {
        String s = base32.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + c);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }
}
