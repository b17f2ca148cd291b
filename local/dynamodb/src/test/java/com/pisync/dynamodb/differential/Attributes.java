package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random attribute values, each name always of one type: gpk S, gsk N, lsk S, status S, n N, s S, ss SS, ns NS,
 * bs BS, l L, m M ({a: {b: N, c: S}, x: L}), flag BOOL, nul NULL, bin B, cnt N (whole); in Counters c N,
 * tags SS, note S.
 */
final class Attributes {

    /** Includes non-canonical texts ("1.50", "-0.250"): DynamoDB answers them normalised. No exponents: moto
     *  fails with an internal error on arithmetic with them. */
    private static final List<String> NUMBERS = List.of("0", "1", "-1", "2", "42", "3.25", "-7.5", "1.50", "100",
            "0.001", "-0.250", "12345678901234567890.12345", "99");
    /** "😀x" and "～" order differently by UTF-16 units than by UTF-8 bytes (DynamoDB's order). */
    private static final List<String> STRINGS = List.of("", "a", "abc", "abd", "b", "hello world", "é", "日本",
            "😀x", "～", "Z", "a#1");
    private static final List<String> SET_STRINGS = List.of("a", "b", "c", "d", "é");
    /** Canonical only: moto compares set elements by text, so {"1", "1.0"} would be two elements there. */
    private static final List<String> SET_NUMBERS = List.of("1", "2", "3", "-4", "5.5");
    static final List<String> MAIN_ATTRIBUTES = List.of("gpk", "gsk", "lsk", "status", "n", "s", "ss", "ns", "bs",
            "l", "m", "flag", "nul", "bin", "cnt");

    private final Random random;

    Attributes(Random random) {
        this.random = random;
    }

    /** A whole Main item: its key and a random selection of the other attributes. */
    Map<String, AttributeValue> mainItem(int partition, int sort) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Schema.mainKey(partition, sort));
        int number = Schema.itemNumber(partition, sort);
        for (String name : MAIN_ATTRIBUTES) {
            if (random.nextInt(100) < 55) {
                item.put(name, mainValue(name, number, sort));
            }
        }
        return item;
    }

    Map<String, AttributeValue> counterItem(int index) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Schema.counterKey(index));
        if (random.nextBoolean()) {
            item.put("c", number());
        }
        if (random.nextBoolean()) {
            item.put("tags", stringSet());
        }
        if (random.nextBoolean()) {
            item.put("note", string());
        }
        return item;
    }

    /** A value for a Main attribute; index keys embed the item's number so that they never tie. */
    AttributeValue mainValue(String name, int itemNumber, int sort) {
        return switch (name) {
            case "gpk" -> Schema.s(pick(Schema.GROUPS));
            case "gsk" -> uniqueGroupSortKey(itemNumber);
            case "lsk" -> Schema.s("l" + random.nextInt(10) + "#" + sort);
            case "status" -> Schema.s(pick(Schema.STATUSES));
            case "n" -> number();
            // Whole numbers only: the workload subtracts on cnt, and moto subtracts decimals as binary floats.
            case "cnt" -> smallNumber();
            case "s" -> string();
            case "ss" -> stringSet();
            case "ns" -> numberSet();
            case "bs" -> AttributeValue.fromBs(List.of(bytes(1), bytes(2)));
            case "l" -> list();
            case "m" -> map();
            case "flag" -> AttributeValue.fromBool(random.nextBoolean());
            case "nul" -> AttributeValue.fromNul(true);
            case "bin" -> AttributeValue.fromB(bytes(1 + random.nextInt(4)));
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Unique per item (item numbers are below 100) and never 0 (see Conditions#between). */
    AttributeValue uniqueGroupSortKey(int itemNumber) {
        long whole = (random.nextInt(13) - 3) * 1000L + itemNumber * 10L + 1;
        return Schema.n(random.nextBoolean() ? Long.toString(whole) : whole + ".5");
    }

    AttributeValue number() {
        return Schema.n(pick(NUMBERS));
    }

    /** A small whole number in canonical text, for counters and comparisons. */
    AttributeValue smallNumber() {
        return Schema.n(Integer.toString(random.nextInt(11) - 3));
    }

    AttributeValue string() {
        return Schema.s(pick(STRINGS));
    }

    AttributeValue stringSet() {
        return AttributeValue.fromSs(subset(SET_STRINGS));
    }

    AttributeValue numberSet() {
        return AttributeValue.fromNs(subset(SET_NUMBERS));
    }

    AttributeValue scalar() {
        return switch (random.nextInt(3)) {
            case 0 -> string();
            case 1 -> number();
            default -> AttributeValue.fromBool(random.nextBoolean());
        };
    }

    AttributeValue list() {
        List<AttributeValue> elements = new ArrayList<>();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            elements.add(scalar());
        }
        return AttributeValue.fromL(elements);
    }

    AttributeValue map() {
        Map<String, AttributeValue> inner = new LinkedHashMap<>();
        if (random.nextInt(4) > 0) {
            inner.put("b", number());
        }
        if (random.nextBoolean()) {
            inner.put("c", string());
        }
        Map<String, AttributeValue> outer = new LinkedHashMap<>();
        if (random.nextInt(4) > 0) {
            outer.put("a", AttributeValue.fromM(inner));
        }
        if (random.nextBoolean()) {
            outer.put("x", list());
        }
        return AttributeValue.fromM(outer);
    }

    SdkBytes bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return SdkBytes.fromByteArray(bytes);
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A non-empty subset, in a random order (sets have none). */
    private List<String> subset(List<String> values) {
        List<String> chosen = new ArrayList<>();
        for (String value : values) {
            if (random.nextInt(3) == 0) {
                chosen.add(value);
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(pick(values));
        }
        java.util.Collections.shuffle(chosen, random);
        return chosen;
    }
}
