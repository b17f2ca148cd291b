package com.pisync.domain;

/**
 * Text PiSync can carry and store: well-formed Unicode. A JSON string may hold what no UTF-8 text
 * can: an unpaired surrogate ({@code "\ud800"}), and the noncharacters U+FFFE and U+FFFF, which SQS
 * refuses in a message. Such text is refused at the edge (400 naming the field) rather than failing,
 * or being mangled into '?', on its way to the queue and the tables.
 */
public final class UnicodeText {

    public static final String RULE = "must be valid Unicode text (no unpaired surrogate, no U+FFFE or U+FFFF)";

    private UnicodeText() {
    }

    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                return false;
            }
        }
        return true;
    }
}
