package com.pisync.domain;

import java.util.regex.Pattern;

/**
 * What a device id may be: 1–64 ASCII characters of {@code A–Z a–z 0–9 . _ : -}, compared exactly
 * (case-sensitive, no normalisation).
 *
 * <p>Why not normalise: look-alikes (Cyrillic 'а' for Latin 'a', fullwidth digits, zero-width
 * characters, NFC vs NFD forms) would otherwise either become distinct devices an admin cannot tell
 * apart or be silently merged with another device's history and token. Refusing them with a message
 * that names the offending character is explicit. Case is kept because the id is the key of the
 * device's token and history: folding it would merge two registered devices ({@code PIBOOK-1} and
 * {@code pibook-1} are two devices, as the contract's character set allows both).
 */
public final class DeviceId {

    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
    public static final String RULE = "must be 1–64 ASCII characters of A–Z, a–z, 0–9, '.', '_', ':' or '-'";

    private DeviceId() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /**
     * @return null when {@code id} is a valid device id, else the reason, naming the first character
     *     that is not allowed ("must be ... (U+0430 CYRILLIC SMALL LETTER A at position 4)")
     */
    public static String problem(String id) {
        if (isValid(id)) {
            return null;
        }
        if (id == null || id.isEmpty()) {
            return RULE;
        }
        int length = id.codePointCount(0, id.length());
        if (length > MAX_LENGTH) {
            return RULE + " (got " + length + ")";
        }
        int position = 1;
        for (int i = 0; i < id.length(); position++) {
            int c = id.codePointAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!allowed) {
                return RULE + " (" + describe(c) + " at position " + position + ")";
            }
            i += Character.charCount(c);
        }
        return RULE;
    }

    private static String describe(int c) {
        String name = Character.getName(c);
        return String.format("U+%04X", c) + (name == null ? "" : " " + name);
    }
}
