package com.pisync.dynamodb.operation;

import com.pisync.dynamodb.value.Value;
import java.util.function.Predicate;

/**
 * A Query's key condition: one partition, and optionally a sort key condition ({@code operator} one of
 * EQ LT LE GT GE BETWEEN BEGINS_WITH; {@code high} for BETWEEN only) that decides where the scan starts and stops.
 */
public record KeyRange(Value partition, String operator, Value low, Value high, Predicate<Value> sortTest) {

    public boolean hasSortCondition() {
        return operator != null;
    }
}
