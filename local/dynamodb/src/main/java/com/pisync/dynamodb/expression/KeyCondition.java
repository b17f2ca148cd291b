package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.Values;
import java.util.Arrays;

/** A Query's key condition: the partition key's value and an optional condition on the sort key. */
public record KeyCondition(Value partitionValue, SortKeyCondition sortKey) {

    public enum Operator { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

    /** A condition on the sort key; {@code high} is set for BETWEEN only. */
    public record SortKeyCondition(Operator operator, Value low, Value high) {

        /** Whether a sort key value satisfies the condition; values of another type never do. */
        public boolean test(Value sortKeyValue) {
            if (!Values.comparable(sortKeyValue, low)) {
                return false;
            }
            int c = Values.compare(sortKeyValue, low);
            switch (operator) {
                case EQ:
                    return c == 0;
                case LT:
                    return c < 0;
                case LE:
                    return c <= 0;
                case GT:
                    return c > 0;
                case GE:
                    return c >= 0;
                case BETWEEN:
                    return c >= 0 && Values.comparable(sortKeyValue, high) && Values.compare(sortKeyValue, high) <= 0;
                case BEGINS_WITH:
                    return beginsWith(sortKeyValue, low);
                default:
                    throw new IllegalStateException(operator.name());
            }
        }
    }

    /** String prefix (by characters) or binary prefix (by bytes); false for other types. */
    static boolean beginsWith(Value value, Value prefix) {
        if (value instanceof Value.S s && prefix instanceof Value.S p) {
            return s.value().startsWith(p.value());
        }
        if (value instanceof Value.B b && prefix instanceof Value.B p) {
            byte[] v = b.bytes();
            byte[] q = p.bytes();
            return v.length >= q.length && Arrays.equals(v, 0, q.length, q, 0, q.length);
        }
        return false;
    }
}
