package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Projects items onto document paths. Selected parts keep their place in the structure: {@code a.b} gives
 * {@code {a: {b: ...}}} and {@code l[1], l[3]} a two-element list, in list order; missing parts are left out.
 */
final class PathProjection implements Projection {

    /** A node of the projection tree: take the whole value, or descend into named or indexed children. */
    private static final class Node {
        boolean whole;
        final Map<String, Node> names = new LinkedHashMap<>();
        final TreeMap<Integer, Node> indexes = new TreeMap<>();
    }

    private final Node root = new Node();
    private final List<String> topLevel;

    PathProjection(List<Path> paths) {
        LinkedHashSet<String> heads = new LinkedHashSet<>();
        for (Path p : paths) {
            heads.add(p.head());
            Node n = root;
            for (Object e : p.elements()) {
                n = e instanceof String s ? n.names.computeIfAbsent(s, k -> new Node())
                        : n.indexes.computeIfAbsent((Integer) e, k -> new Node());
            }
            n.whole = true;
        }
        this.topLevel = List.copyOf(heads);
    }

    @Override
    public Map<String, Value> apply(Map<String, Value> item) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : root.names.entrySet()) {
            Value v = item.get(e.getKey());
            Value projected = v == null ? null : project(v, e.getValue());
            if (projected != null) {
                out.put(e.getKey(), projected);
            }
        }
        return out;
    }

    private static Value project(Value value, Node node) {
        if (node.whole) {
            return value;
        }
        if (!node.names.isEmpty() && value instanceof Value.M m) {
            Map<String, Value> out = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : node.names.entrySet()) {
                Value v = m.values().get(e.getKey());
                Value projected = v == null ? null : project(v, e.getValue());
                if (projected != null) {
                    out.put(e.getKey(), projected);
                }
            }
            return out.isEmpty() ? null : new Value.M(out);
        }
        if (!node.indexes.isEmpty() && value instanceof Value.L l) {
            List<Value> out = new ArrayList<>();
            for (Map.Entry<Integer, Node> e : node.indexes.entrySet()) {
                if (e.getKey() < l.values().size()) {
                    Value projected = project(l.values().get(e.getKey()), e.getValue());
                    if (projected != null) {
                        out.add(projected);
                    }
                }
            }
            return out.isEmpty() ? null : new Value.L(out);
        }
        return null;
    }

    @Override
    public List<String> topLevelAttributes() {
        return topLevel;
    }
}
