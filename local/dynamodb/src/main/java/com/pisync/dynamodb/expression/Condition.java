package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import java.util.Map;

/** A ConditionExpression or FilterExpression (or their legacy forms), ready to test items. */
public interface Condition {

    /** Whether the item satisfies the condition; an absent item is an empty map. */
    boolean test(Map<String, Value> item);
}
