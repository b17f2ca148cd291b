package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AttributeUpdates: PUT replaces, DELETE without a value removes, DELETE with a set subtracts, ADD adds a
 * number, unites a set or appends to a list. A stored value of another type is DynamoDB's "Type mismatch".
 */
final class LegacyUpdate implements Update {

    record Action(String attribute, String action, Value value) {
    }

    private final List<Action> actions;
    private final Set<String> topLevel;
    private final PathProjection updatedPaths;

    LegacyUpdate(List<Action> actions) {
        this.actions = List.copyOf(actions);
        Set<String> names = new LinkedHashSet<>();
        List<Path> paths = new ArrayList<>();
        for (Action a : actions) {
            names.add(a.attribute());
            paths.add(Path.of(a.attribute()));
        }
        this.topLevel = java.util.Collections.unmodifiableSet(names);
        this.updatedPaths = new PathProjection(paths);
    }

    private static DynamoException typeMismatch() {
        return DynamoException.validation("Type mismatch for attribute to update");
    }

    @Override
    public Map<String, Value> apply(Map<String, Value> current) {
        Map<String, Value> item = new LinkedHashMap<>(current);
        for (Action a : actions) {
            Value old = item.get(a.attribute());
            Value result;
            switch (a.action()) {
                case "PUT":
                    result = a.value();
                    break;
                case "DELETE":
                    if (a.value() == null) {
                        result = null;
                    } else if (old != null && !old.type().equals(a.value().type())) {
                        throw typeMismatch();
                    } else {
                        result = Arithmetic.delete(old, a.value());
                    }
                    break;
                default:
                    if (old != null && !old.type().equals(a.value().type())) {
                        throw typeMismatch();
                    }
                    if (old instanceof Value.L l) {
                        List<Value> joined = new ArrayList<>(l.values());
                        joined.addAll(((Value.L) a.value()).values());
                        result = new Value.L(joined);
                    } else {
                        result = Arithmetic.add(old, a.value());
                    }
            }
            if (result == null) {
                item.remove(a.attribute());
            } else {
                item.put(a.attribute(), result);
            }
        }
        return item;
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
