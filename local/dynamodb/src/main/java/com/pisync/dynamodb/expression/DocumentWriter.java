package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes at document paths of an item by copying the containers along the path (values are immutable). A
 * path whose parent is missing, or is not a map (for a name) or a list (for an index), is
 * DynamoDB's "invalid for update".
 */
final class DocumentWriter {

    private DocumentWriter() {
    }

    static DynamoException invalidPath() {
        return DynamoException.validation("The document path provided in the update expression is invalid for update");
    }

    /**
     * Replaces the value at {@code path} by {@code change.apply(old)} (old may be null; a null result removes
     * it). A list index past the end appends, as SET does.
     */
    static void update(Map<String, Value> item, Path path, UnaryOperator<Value> change) {
        if (!path.isNested()) {
            Value v = change.apply(item.get(path.head()));
            if (v == null) {
                item.remove(path.head());
            } else {
                item.put(path.head(), v);
            }
            return;
        }
        Value container = item.get(path.head());
        if (container == null) {
            throw invalidPath();
        }
        item.put(path.head(), updateIn(container, path, 1, change));
    }

    private static Value updateIn(Value container, Path path, int i, UnaryOperator<Value> change) {
        Object element = path.get(i);
        boolean last = i == path.size() - 1;
        if (element instanceof String name) {
            if (!(container instanceof Value.M m)) {
                throw invalidPath();
            }
            Map<String, Value> copy = new LinkedHashMap<>(m.values());
            Value child = copy.get(name);
            if (last) {
                Value v = change.apply(child);
                if (v == null) {
                    copy.remove(name);
                } else {
                    copy.put(name, v);
                }
            } else {
                if (child == null) {
                    throw invalidPath();
                }
                copy.put(name, updateIn(child, path, i + 1, change));
            }
            return new Value.M(copy);
        }
        int index = (Integer) element;
        if (!(container instanceof Value.L l)) {
            throw invalidPath();
        }
        List<Value> copy = new ArrayList<>(l.values());
        Value child = index < copy.size() ? copy.get(index) : null;
        if (last) {
            Value v = change.apply(child);
            if (child == null) {
                if (v != null) {
                    copy.add(v);
                }
            } else if (v == null) {
                copy.remove(index);
            } else {
                copy.set(index, v);
            }
        } else {
            if (child == null) {
                throw invalidPath();
            }
            copy.set(index, updateIn(child, path, i + 1, change));
        }
        return new Value.L(copy);
    }
}
