package com.pisync.dynamodb.operation;

/** Which expression parameters a request (or transaction action) may carry. */
public enum ExpressionKind {
    PUT, DELETE, UPDATE, CONDITION_CHECK, GET, QUERY, SCAN
}
