package com.pisync.dynamodb.differential;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A response turned into plain, comparable data: maps sorted by key, lists, strings, numbers, booleans. An
 * SDK model becomes a map of its members; absent and empty members are left out (an SDK user sees no
 * difference between them). An attribute value becomes {@code {"S": ...}}, {@code {"N": Num}}, ...; the
 * elements of a set are sorted because DynamoDB sets have no order.
 */
final class Tree {

    /** A DynamoDB number as answered: the text is kept so that a non-canonical answer shows. */
    record Num(String text) implements Comparable<Num> {
        BigDecimal value() {
            return new BigDecimal(text);
        }

        /** The text DynamoDB answers for this number: plain notation, no trailing zeros. */
        String canonical() {
            BigDecimal value = value();
            return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
        }

        @Override
        public int compareTo(Num other) {
            return value().compareTo(other.value());
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Elements whose order DynamoDB does not define (a Scan's items, a batch's responses): compared sorted. */
    record Bag(List<Object> elements) {
    }

    /** In an expected tree: matches any one of these values (where DynamoDB's choice is not documented). */
    record OneOf(Set<String> accepted) {
    }

    /** In an expected tree: matches any value that is present (where DynamoDB's exact answer is not derivable). */
    enum Wildcard {
        ANY_PRESENT
    }

    private Tree() {
    }

    static Object of(Object value) {
        if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
            return null;
        }
        if (value instanceof AttributeValue attribute) {
            return attribute(attribute);
        }
        if (value instanceof SdkPojo pojo) {
            Map<String, Object> members = new TreeMap<>();
            for (SdkField<?> field : pojo.sdkFields()) {
                putIfPresent(members, field.memberName(), of(field.getValueOrDefault(pojo)));
            }
            return members;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new TreeMap<>();
            map.forEach((k, v) -> putIfPresent(copy, String.valueOf(k), of(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(element -> copy.add(of(element)));
            return copy;
        }
        if (value instanceof SdkBytes bytes) {
            return Base64.getEncoder().encodeToString(bytes.asByteArray());
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value.toString();
    }

    static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value == null
                || value instanceof Map<?, ?> m && m.isEmpty()
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Bag b && b.elements().isEmpty()) {
            return;
        }
        map.put(key, value);
    }

    static Map<String, Object> attribute(AttributeValue value) {
        Map<String, Object> typed = new TreeMap<>();
        switch (value.type()) {
            case S -> typed.put("S", value.s());
            case N -> typed.put("N", new Num(value.n()));
            case B -> typed.put("B", of(value.b()));
            case SS -> typed.put("SS", sorted(value.ss(), Comparator.naturalOrder()));
            case NS -> typed.put("NS", sorted(value.ns().stream().map(Num::new).toList(), Comparator.naturalOrder()));
            case BS -> typed.put("BS", sorted(value.bs().stream().map(Tree::of).map(String.class::cast).toList(),
                    Comparator.naturalOrder()));
            case M -> {
                Map<String, Object> map = new TreeMap<>();
                value.m().forEach((k, v) -> map.put(k, attribute(v)));
                typed.put("M", map);
            }
            case L -> typed.put("L", value.l().stream().map(Tree::attribute).toList());
            case NUL -> typed.put("NULL", value.nul());
            case BOOL -> typed.put("BOOL", value.bool());
            default -> typed.put("UNKNOWN", value.toString());
        }
        return typed;
    }

    static Map<String, Object> item(Map<String, AttributeValue> item) {
        Map<String, Object> map = new TreeMap<>();
        item.forEach((k, v) -> map.put(k, attribute(v)));
        return map;
    }

    private static <T> List<T> sorted(List<T> values, Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(values);
        copy.sort(order);
        return copy;
    }
}
