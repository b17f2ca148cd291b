package com.pisync.dynamodb.operation;

import com.pisync.dynamodb.value.Value;
import java.util.Map;
import java.util.Set;

/** An UpdateExpression or AttributeUpdates as the operations use it. */
public interface ItemUpdate {

    /** The item after the update; {@code current} (stored item or empty map) is not modified. */
    Map<String, Value> apply(Map<String, Value> current);

    /** Top-level attributes written or removed (key attributes are refused). */
    Set<String> topLevelAttributes();

    /** The updated paths of {@code item}, for ReturnValues UPDATED_OLD / UPDATED_NEW. */
    Map<String, Value> updatedPart(Map<String, Value> item);
}
