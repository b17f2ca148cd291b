package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;

/** One action of an update: SET path = value, REMOVE path, ADD path value, DELETE path value. */
sealed interface UpdateAction {

    Path path();

    record Set(Path path, Operand value) implements UpdateAction {
    }

    record Remove(Path path) implements UpdateAction {
    }

    record Add(Path path, Value value) implements UpdateAction {
    }

    record Delete(Path path, Value value) implements UpdateAction {
    }
}
