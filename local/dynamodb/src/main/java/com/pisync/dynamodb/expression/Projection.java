package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import java.util.List;
import java.util.Map;

/** A ProjectionExpression (or AttributesToGet): the parts of an item a read returns. */
public interface Projection {

    /** The projected item; nested paths such as {@code a.b[0].c} keep the item's structure around them. */
    Map<String, Value> apply(Map<String, Value> item);

    /** The distinct top-level attributes the projection reads, in order of appearance. */
    List<String> topLevelAttributes();
}
