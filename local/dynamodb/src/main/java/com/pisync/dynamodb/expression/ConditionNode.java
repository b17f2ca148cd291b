package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The parsed condition tree; each node evaluates itself against an item. */
sealed interface ConditionNode extends Condition {

    record Or(ConditionNode left, ConditionNode right) implements ConditionNode {
        @Override
        public boolean test(Map<String, Value> item) {
            return left.test(item) || right.test(item);
        }
    }

    record And(ConditionNode left, ConditionNode right) implements ConditionNode {
        @Override
        public boolean test(Map<String, Value> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Not(ConditionNode operand) implements ConditionNode {
        @Override
        public boolean test(Map<String, Value> item) {
            return !operand.test(item);
        }
    }

    /** {@code = <> < <= > >=}; values of different types are unequal and unordered (false, not an error). */
    record Compare(String operator, Operand left, Operand right) implements ConditionNode {
        @Override
        public boolean test(Map<String, Value> item) {
            Value a = evaluate(left, item);
            Value b = evaluate(right, item);
            switch (operator) {
                case "=":
                    return a != null && a.equals(b);
                case "<>":
                    // Something missing differs from anything present; two missing operands are not unequal.
                    return a == null ? b != null : !a.equals(b);
                default:
                    if (!Values.comparable(a, b)) {
                        return false;
                    }
                    int c = Values.compare(a, b);
                    switch (operator) {
                        case "<":
                            return c < 0;
                        case "<=":
                            return c <= 0;
                        case ">":
                            return c > 0;
                        case ">=":
                            return c >= 0;
                        default:
                            throw new IllegalStateException(operator);
                    }
            }
        }
    }

    record Between(Operand operand, Operand low, Operand high) implements ConditionNode {
        @Override
        public boolean test(Map<String, Value> item) {
            Value v = evaluate(operand, item);
            Value lo = evaluate(low, item);
            Value hi = evaluate(high, item);
            return Values.comparable(v, lo) && Values.comparable(v, hi)
                    && Values.compare(lo, v) <= 0 && Values.compare(v, hi) <= 0;
        }
    }

    record In(Operand operand, List<Operand> candidates) implements ConditionNode {
        @Override
        public boolean test(Map<String, Value> item) {
            Value v = evaluate(operand, item);
            if (v == null) {
                return false;
            }
            for (Operand c : candidates) {
                if (v.equals(evaluate(c, item))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** attribute_exists, attribute_not_exists, attribute_type, begins_with, contains. */
    record Function(Operand.FunctionCall call) implements ConditionNode {
        @Override
        public boolean test(Map<String, Value> item) {
            List<Operand> args = call.args();
            switch (call.name()) {
                case "attribute_exists":
                    return evaluate(args.get(0), item) != null;
                case "attribute_not_exists":
                    return evaluate(args.get(0), item) == null;
                case "attribute_type": {
                    Value v = evaluate(args.get(0), item);
                    Value type = evaluate(args.get(1), item);
                    return v != null && type instanceof Value.S s && v.type().equals(s.value());
                }
                case "begins_with":
                    return KeyCondition.beginsWith(evaluate(args.get(0), item), evaluate(args.get(1), item));
                case "contains":
                    return contains(evaluate(args.get(0), item), evaluate(args.get(1), item));
                default:
                    throw new IllegalStateException(call.name());
            }
        }
    }

    /** An operand's value in the item, or null when it has none (missing path, size of a number, ...). */
    static Value evaluate(Operand operand, Map<String, Value> item) {
        if (operand instanceof Operand.PathOperand p) {
            return Documents.get(item, p.path());
        }
        if (operand instanceof Operand.ValueOperand v) {
            return v.value();
        }
        if (operand instanceof Operand.FunctionCall f && f.name().equals("size")) {
            return size(evaluate(f.args().get(0), item));
        }
        throw new IllegalStateException("not a condition operand: " + operand);
    }

    /** size(): characters of a string, bytes of a binary, elements of a set, list or map. */
    static Value size(Value v) {
        long n;
        if (v instanceof Value.S s) {
            n = s.value().length();
        } else if (v instanceof Value.B b) {
            n = b.length();
        } else if (v instanceof Value.SS ss) {
            n = ss.values().size();
        } else if (v instanceof Value.NS ns) {
            n = ns.values().size();
        } else if (v instanceof Value.BS bs) {
            n = bs.values().size();
        } else if (v instanceof Value.L l) {
            n = l.values().size();
        } else if (v instanceof Value.M m) {
            n = m.values().size();
        } else {
            return null;
        }
        return new Value.N(BigDecimal.valueOf(n));
    }

    /** contains(): substring of a string, sub-sequence of a binary, member of a set, element of a list. */
    static boolean contains(Value haystack, Value needle) {
        if (haystack == null || needle == null) {
            return false;
        }
        if (haystack instanceof Value.S s && needle instanceof Value.S n) {
            return s.value().contains(n.value());
        }
        if (haystack instanceof Value.B b && needle instanceof Value.B n) {
            return new String(b.bytes(), StandardCharsets.ISO_8859_1)
                    .contains(new String(n.bytes(), StandardCharsets.ISO_8859_1));
        }
        if (haystack instanceof Value.SS ss && needle instanceof Value.S n) {
            return ss.values().contains(n.value());
        }
        if (haystack instanceof Value.NS ns && needle instanceof Value.N n) {
            return ns.values().contains(n.value());
        }
        if (haystack instanceof Value.BS bs && needle instanceof Value.B n) {
            return bs.values().contains(n);
        }
        if (haystack instanceof Value.L l) {
            return l.values().contains(needle);
        }
        return false;
    }
}
