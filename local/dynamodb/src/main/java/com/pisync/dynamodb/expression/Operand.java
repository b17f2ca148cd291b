package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import java.util.List;

/** An operand of a condition or of an update's SET value, as parsed. */
sealed interface Operand {

    /** A document path (an undefined #placeholder stays as written; its error is then pending). */
    record PathOperand(Path path) implements Operand {
    }

    /** An :placeholder; {@code value} is null when it was not defined (an error is then pending). */
    record ValueOperand(String placeholder, Value value) implements Operand {
    }

    /** A function call: size, attribute_exists, if_not_exists, list_append, ... */
    record FunctionCall(String name, List<Operand> args) implements Operand {
    }

    /** {@code a + b} or {@code a - b}, in a SET action only. */
    record Arithmetic(String operator, Operand left, Operand right) implements Operand {
    }
}
