package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Numbers;
import com.pisync.dynamodb.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies update actions as DynamoDB does: every SET value is computed from the item as it was before the
 * update; then SET, REMOVE, ADD and DELETE are written. REMOVE of several elements of one list removes them
 * by their original positions. Sets that become empty are removed, never stored.
 */
final class ExpressionUpdate implements Update {

    private final List<UpdateAction> actions;
    private final Set<String> topLevel;
    private final PathProjection updatedPaths;

    ExpressionUpdate(List<UpdateAction> actions) {
        this.actions = List.copyOf(actions);
        Set<String> heads = new LinkedHashSet<>();
        List<Path> paths = new ArrayList<>();
        for (UpdateAction a : actions) {
            heads.add(a.path().head());
            paths.add(a.path());
        }
        this.topLevel = java.util.Collections.unmodifiableSet(heads);
        this.updatedPaths = new PathProjection(paths);
    }

    static DynamoException incorrectType() {
        return DynamoException.validation("An operand in the update expression has an incorrect data type");
    }

    static DynamoException missingAttribute() {
        return DynamoException.validation(
                "The provided expression refers to an attribute that does not exist in the item");
    }

    @Override
    public Map<String, Value> apply(Map<String, Value> current) {
        List<Value> setValues = new ArrayList<>();
        for (UpdateAction a : actions) {
            if (a instanceof UpdateAction.Set s) {
                setValues.add(evaluate(s.value(), current));
            }
        }
        Map<String, Value> item = new LinkedHashMap<>(current);
        int next = 0;
        for (UpdateAction a : actions) {
            if (a instanceof UpdateAction.Set s) {
                Value v = setValues.get(next++);
                DocumentWriter.update(item, s.path(), old -> v);
            }
        }
        List<UpdateAction.Remove> removes = new ArrayList<>();
        for (UpdateAction a : actions) {
            if (a instanceof UpdateAction.Remove r) {
                removes.add(r);
            }
        }
        // Highest list index first, so that earlier positions still mean what they meant in the request.
        removes.sort(Comparator.comparingInt(r -> r.path().last() instanceof Integer i ? -i : 1));
        for (UpdateAction.Remove r : removes) {
            DocumentWriter.update(item, r.path(), old -> null);
        }
        for (UpdateAction a : actions) {
            if (a instanceof UpdateAction.Add add) {
                DocumentWriter.update(item, add.path(), old -> Arithmetic.add(old, add.value()));
            } else if (a instanceof UpdateAction.Delete d) {
                DocumentWriter.update(item, d.path(), old -> Arithmetic.delete(old, d.value()));
            }
        }
        return item;
    }

    /** A SET value, read from the item before the update. */
    static Value evaluate(Operand operand, Map<String, Value> item) {
        if (operand instanceof Operand.ValueOperand v) {
            return v.value();
        }
        if (operand instanceof Operand.PathOperand p) {
            Value v = Documents.get(item, p.path());
            if (v == null) {
                throw missingAttribute();
            }
            return v;
        }
        if (operand instanceof Operand.Arithmetic a) {
            Value left = evaluate(a.left(), item);
            Value right = evaluate(a.right(), item);
            if (!(left instanceof Value.N x) || !(right instanceof Value.N y)) {
                throw incorrectType();
            }
            BigDecimal r = a.operator().equals("+") ? x.value().add(y.value()) : x.value().subtract(y.value());
            return new Value.N(Numbers.check(r));
        }
        Operand.FunctionCall f = (Operand.FunctionCall) operand;
        if (f.name().equals("if_not_exists")) {
            Value existing = Documents.get(item, ((Operand.PathOperand) f.args().get(0)).path());
            return existing != null ? existing : evaluate(f.args().get(1), item);
        }
        Value first = evaluate(f.args().get(0), item);
        Value second = evaluate(f.args().get(1), item);
        if (!(first instanceof Value.L a) || !(second instanceof Value.L b)) {
            throw incorrectType();
        }
        List<Value> joined = new ArrayList<>(a.values());
        joined.addAll(b.values());
        return new Value.L(joined);
    }

    @Override
    public Set<String> topLevelAttributes() {
        return topLevel;
    }

    @Override
    public Map<String, Value> updatedPart(Map<String, Value> item) {
        return updatedPaths.apply(item);
    }
}
