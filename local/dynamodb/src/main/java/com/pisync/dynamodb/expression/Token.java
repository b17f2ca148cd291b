package com.pisync.dynamodb.expression;

/** One lexical token of an expression, with its place in the text for DynamoDB's "near" messages. */
record Token(Kind kind, String text, int start, int end) {

    enum Kind {
        /** A bare name: letters, digits, underscore, not starting with a digit. */
        IDENT,
        /** {@code #name} */
        NAME_REF,
        /** {@code :value} */
        VALUE_REF,
        /** Digits, as in a list index. */
        INTEGER,
        /** One of {@code ( ) [ ] , . = <> < <= > >= + -}. */
        PUNCT,
        /** Any character the language does not know. */
        UNKNOWN,
        EOF
    }

    boolean is(String punct) {
        return kind == Kind.PUNCT && text.equals(punct);
    }

    /** Whether this is the keyword {@code word}; keywords are case-insensitive. */
    boolean isKeyword(String word) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(word);
    }
}
