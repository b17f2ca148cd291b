package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Numbers;
import com.pisync.dynamodb.value.Value;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

/** ADD and DELETE on stored values, shared by UpdateExpression and the legacy AttributeUpdates. */
final class Arithmetic {

    private Arithmetic() {
    }

    /** ADD: a number adds, a set unions; an absent attribute becomes the operand. */
    static Value add(Value old, Value operand) {
        if (old == null) {
            return operand;
        }
        if (old instanceof Value.N a && operand instanceof Value.N b) {
            return new Value.N(Numbers.check(a.value().add(b.value())));
        }
        if (old instanceof Value.SS a && operand instanceof Value.SS b) {
            Set<String> s = new LinkedHashSet<>(a.values());
            s.addAll(b.values());
            return new Value.SS(s);
        }
        if (old instanceof Value.NS a && operand instanceof Value.NS b) {
            Set<BigDecimal> s = new LinkedHashSet<>(a.values());
            s.addAll(b.values());
            return new Value.NS(s);
        }
        if (old instanceof Value.BS a && operand instanceof Value.BS b) {
            Set<Value.B> s = new LinkedHashSet<>(a.values());
            s.addAll(b.values());
            return new Value.BS(s);
        }
        throw ExpressionUpdate.incorrectType();
    }

    /** DELETE: set difference; an absent attribute stays absent and an emptied set is removed. */
    static Value delete(Value old, Value operand) {
        if (old == null) {
            return null;
        }
        if (old instanceof Value.SS a && operand instanceof Value.SS b) {
            Set<String> s = new LinkedHashSet<>(a.values());
            s.removeAll(b.values());
            return s.isEmpty() ? null : new Value.SS(s);
        }
        if (old instanceof Value.NS a && operand instanceof Value.NS b) {
            Set<BigDecimal> s = new LinkedHashSet<>(a.values());
            s.removeAll(b.values());
            return s.isEmpty() ? null : new Value.NS(s);
        }
        if (old instanceof Value.BS a && operand instanceof Value.BS b) {
            Set<Value.B> s = new LinkedHashSet<>(a.values());
            s.removeAll(b.values());
            return s.isEmpty() ? null : new Value.BS(s);
        }
        throw ExpressionUpdate.incorrectType();
    }
}
