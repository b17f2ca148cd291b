package com.pisync.dynamodb.operation;

import com.pisync.dynamodb.value.Value;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A request's expressions (or their legacy forms), parsed and checked once; absent parts are null. */
public record ParsedExpressions(Predicate<Map<String, Value>> condition, Predicate<Map<String, Value>> filter,
        KeyRange keyCondition, UnaryOperator<Map<String, Value>> projection, ItemUpdate update) {

    public static final ParsedExpressions NONE = new ParsedExpressions(null, null, null, null, null);
}
