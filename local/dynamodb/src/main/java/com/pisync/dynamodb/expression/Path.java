package com.pisync.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * A document path, resolved: attribute names (placeholders replaced) and list indexes, e.g. {@code a.b[0]}
 * is {@code ["a", "b", 0]}. Elements are {@link String} or {@link Integer}.
 */
public record Path(List<Object> elements) {

    public Path {
        elements = List.copyOf(elements);
        if (elements.isEmpty() || !(elements.get(0) instanceof String)) {
            throw new IllegalArgumentException("a path starts with an attribute name: " + elements);
        }
    }

    public static Path of(Object... elements) {
        return new Path(List.of(elements));
    }

    public String head() {
        return (String) elements.get(0);
    }

    public int size() {
        return elements.size();
    }

    public Object get(int i) {
        return elements.get(i);
    }

    public boolean isNested() {
        return elements.size() > 1;
    }

    public Path parent() {
        return new Path(elements.subList(0, elements.size() - 1));
    }

    public Object last() {
        return elements.get(elements.size() - 1);
    }

    public Path child(Object element) {
        List<Object> e = new ArrayList<>(elements);
        e.add(element);
        return new Path(e);
    }

    /** As DynamoDB writes a path in its messages: {@code [a, b, [0]]}. */
    public String display() {
        List<String> parts = new ArrayList<>();
        for (Object e : elements) {
            parts.add(e instanceof Integer ? "[" + e + "]" : (String) e);
        }
        return "[" + String.join(", ", parts) + "]";
    }
}
