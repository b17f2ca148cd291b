package com.pisync.aws.dynamodb;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing typed values in DynamoDB items, null meaning "attribute absent". */
final class AttributeValues {

    private AttributeValues() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue n(double value) {
        return AttributeValue.fromN(Double.toString(value));
    }

    static AttributeValue time(Instant value) {
        return AttributeValue.fromS(value.toString());
    }

    /**
     * A time in the fewest bytes that keep it exactly: epoch milliseconds as a number (8 bytes) when it has no finer
     * part, else ISO-8601 (24–30 bytes). For items where size is cost (the device item, written at every commit) and
     * no index or condition compares the value; {@link #instant} reads both forms.
     */
    static AttributeValue compactTime(Instant value) {
        if (value == null) {
            return null;
        }
        return value.getNano() % 1_000_000 == 0 && value.getEpochSecond() >= 0
                ? AttributeValue.fromN(Long.toString(value.toEpochMilli())) : time(value);
    }

    static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static void putIfPresent(Map<String, AttributeValue> item, String name, Long value) {
        if (value != null) {
            item.put(name, n(value));
        }
    }

    static void putIfPresent(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, time(value));
        }
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static Long longOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    static long longOr(Map<String, AttributeValue> item, String name, long fallback) {
        Long v = longOrNull(item, name);
        return v == null ? fallback : v;
    }

    static double doubleOr(Map<String, AttributeValue> item, String name, double fallback) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? fallback : Double.parseDouble(v.n());
    }

    /** An ISO-8601 time, or epoch milliseconds ({@link #compactTime}); null when absent or NULL. */
    static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null) {
            return null;
        }
        if (v.n() != null) {
            return Instant.ofEpochMilli(Long.parseLong(v.n()));
        }
        return v.s() == null ? null : Instant.parse(v.s());
    }
}
