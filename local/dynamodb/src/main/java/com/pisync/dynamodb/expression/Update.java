package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import java.util.Map;
import java.util.Set;

/** An UpdateExpression (or legacy AttributeUpdates), ready to apply to items. */
public interface Update {

    /**
     * The item after the update; {@code current} is the stored item or an empty map and is never modified.
     * Runtime failures are DynamoDB's ValidationExceptions (incorrect data type, missing attribute, invalid
     * document path).
     */
    Map<String, Value> apply(Map<String, Value> current);

    /** Top-level attribute names written or removed (the caller refuses key changes). */
    Set<String> topLevelAttributes();

    /** The part of {@code item} at the updated paths, nested as in the item: ReturnValues UPDATED_OLD/NEW. */
    Map<String, Value> updatedPart(Map<String, Value> item);
}
