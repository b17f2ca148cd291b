package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies a ProjectionExpression (or an update's target paths) to an item {@link Tree}, as DynamoDB does: each
 * path keeps its value nested as in the item, paths into one map are merged, list elements picked by index are
 * gathered in the order of the paths; an absent path contributes nothing. Paths do not overlap (DynamoDB refuses
 * that).
 */
final class Projector {

    private Projector() {
    }

    static Map<String, Object> project(Map<String, Object> item, String expression, Map<String, String> names) {
        Map<String, Object> projected = new TreeMap<>();
        for (String path : expression.split(",")) {
            List<Object> segments = segments(path.trim(), names);
            Object value = extract(item.get((String) segments.get(0)), segments, 1);
            if (value != null) {
                projected.merge((String) segments.get(0), value, Projector::merge);
            }
        }
        return projected;
    }

    /** Two extracts of one attribute: maps merged by name, list elements appended. */
    @SuppressWarnings("unchecked")
    private static Object merge(Object one, Object other) {
        Map<String, Object> a = (Map<String, Object>) one;
        Map<String, Object> b = (Map<String, Object>) other;
        if (a.get("M") instanceof Map<?, ?> m && b.get("M") instanceof Map<?, ?> n) {
            Map<String, Object> merged = new TreeMap<>((Map<String, Object>) m);
            ((Map<String, Object>) n).forEach((k, v) -> merged.merge(k, v, Projector::merge));
            return Map.of("M", merged);
        }
        if (a.get("L") instanceof List<?> l && b.get("L") instanceof List<?> k) {
            List<Object> joined = new ArrayList<>(l);
            joined.addAll(k);
            return Map.of("L", joined);
        }
        return other;
    }

    /** Names (with placeholders resolved) and list indexes, in order. */
    private static List<Object> segments(String path, Map<String, String> names) {
        List<Object> segments = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            segments.add(name.startsWith("#") ? names.get(name) : name);
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                segments.add(Integer.parseInt(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        return segments;
    }

    /** The typed value at the rest of the path, rebuilt with only that path in it; null where it is absent. */
    @SuppressWarnings("unchecked")
    private static Object extract(Object typed, List<Object> segments, int next) {
        if (typed == null || next == segments.size()) {
            return typed;
        }
        Map<String, Object> value = (Map<String, Object>) typed;
        Object segment = segments.get(next);
        if (segment instanceof String name && value.get("M") instanceof Map<?, ?> map) {
            Object inner = extract(map.get(name), segments, next + 1);
            return inner == null ? null : Map.of("M", new TreeMap<>(Map.of(name, inner)));
        }
        if (segment instanceof Integer index && value.get("L") instanceof List<?> list && index < list.size()) {
            Object inner = extract(list.get(index), segments, next + 1);
            return inner == null ? null : Map.of("L", List.of(inner));
        }
        return null;
    }
}
