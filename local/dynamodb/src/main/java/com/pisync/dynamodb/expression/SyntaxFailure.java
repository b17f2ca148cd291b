package com.pisync.dynamodb.expression;

/** Control flow of the parsers: an alternative did not match (the furthest one becomes the syntax error). */
final class SyntaxFailure extends RuntimeException {

    static final SyntaxFailure INSTANCE = new SyntaxFailure();

    private SyntaxFailure() {
        super(null, null, false, false);
    }
}
