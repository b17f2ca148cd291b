package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.dynamodb.table.KeySchema;

/** Parses the expression parameters of one request (all sharing its ExpressionAttributeNames/Values). */
public interface ExpressionParser {

    /** {@code queryKeys}: the key schema a Query's key condition must use (table or index); else null. */
    ParsedExpressions parse(JsonNode request, ExpressionKind kind, KeySchema queryKeys);
}
