package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Lists where an answer differs from the expected one, by path ({@code pages[2].Items[0].n}). */
final class Differ {

    private Differ() {
    }

    static List<String> differences(Object expected, Object actual) {
        List<String> out = new ArrayList<>();
        compare("", expected, actual, out);
        return out;
    }

    private static void compare(String path, Object expected, Object actual, List<String> out) {
        if (expected == Tree.Wildcard.ANY_PRESENT) {
            if (actual == null) {
                out.add(at(path) + "expected a value, got none");
            }
            return;
        }
        if (expected instanceof Tree.OneOf oneOf) {
            if (!oneOf.accepted().contains(actual)) {
                out.add(at(path) + "expected one of " + oneOf.accepted() + ", got " + actual);
            }
            return;
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            TreeSet<String> keys = new TreeSet<>();
            e.keySet().forEach(k -> keys.add((String) k));
            a.keySet().forEach(k -> keys.add((String) k));
            for (String key : keys) {
                compare(path.isEmpty() ? key : path + "." + key, e.get(key), a.get(key), out);
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            compareLists(path, e, a, out);
        } else if (expected instanceof Tree.Bag e && actual instanceof Tree.Bag a) {
            compareLists(path, sorted(e.elements()), sorted(a.elements()), out);
        } else if (!sameLeaf(expected, actual)) {
            out.add(at(path) + "expected " + expected + ", got " + actual);
        }
    }

    private static void compareLists(String path, List<?> expected, List<?> actual, List<String> out) {
        if (expected.size() != actual.size()) {
            out.add(at(path) + "expected " + expected.size() + " elements, got " + actual.size()
                    + ": expected " + expected + ", got " + actual);
            return;
        }
        for (int i = 0; i < expected.size(); i++) {
            compare(path + "[" + i + "]", expected.get(i), actual.get(i), out);
        }
    }

    /** Integers and longs (counts summed by the harness) compare by value. */
    private static boolean sameLeaf(Object expected, Object actual) {
        if (expected instanceof Number e && actual instanceof Number a) {
            return e.longValue() == a.longValue() && e.doubleValue() == a.doubleValue();
        }
        return Objects.equals(expected, actual);
    }

    private static List<Object> sorted(List<Object> elements) {
        List<Object> copy = new ArrayList<>(elements);
        copy.sort(Comparator.comparing(String::valueOf));
        return copy;
    }

    private static String at(String path) {
        return (path.isEmpty() ? "(answer)" : path) + ": ";
    }
}
