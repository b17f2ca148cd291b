package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import java.util.List;
import java.util.Map;

/** Reading document paths in items. */
final class Documents {

    private Documents() {
    }

    /** The value at {@code path}, or null when any step is missing or of the wrong type. */
    static Value get(Map<String, Value> item, Path path) {
        Value current = item.get(path.head());
        for (int i = 1; i < path.size() && current != null; i++) {
            current = step(current, path.get(i));
        }
        return current;
    }

    /** One step down: a map's attribute for a name, a list's element for an index; null otherwise. */
    static Value step(Value container, Object element) {
        if (element instanceof String name) {
            return container instanceof Value.M m ? m.values().get(name) : null;
        }
        int index = (Integer) element;
        if (container instanceof Value.L l) {
            List<Value> values = l.values();
            return index < values.size() ? values.get(index) : null;
        }
        return null;
    }
}
