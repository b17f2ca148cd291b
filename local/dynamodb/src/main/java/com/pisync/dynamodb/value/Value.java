package com.pisync.dynamodb.value;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DynamoDB attribute value: the ten types of the data model, immutable. Numbers are kept canonical
 * (trailing zeros stripped), as DynamoDB returns them, so {@code equals} is DynamoDB's equality; sets keep
 * their first-seen order and hold no duplicates.
 */
public sealed interface Value {

    /** The type's name in DynamoDB JSON: S, N, B, SS, NS, BS, M, L, NULL, BOOL. */
    String type();

    record S(String value) implements Value {
        public S {
            java.util.Objects.requireNonNull(value);
        }

        @Override
        public String type() {
            return "S";
        }

        /** Its UTF-8 bytes: DynamoDB orders and sizes strings by them. */
        public byte[] utf8() {
            return value.getBytes(StandardCharsets.UTF_8);
        }
    }

    record N(BigDecimal value) implements Value {
        public N {
            value = Numbers.canonical(value);
        }

        @Override
        public String type() {
            return "N";
        }

        /** The canonical text DynamoDB answers with: plain notation, no trailing zeros. */
        public String text() {
            return value.toPlainString();
        }
    }

    /** Binary: the array is copied in and never handed out mutable. */
    final class B implements Value, Comparable<B> {
        private final byte[] bytes;

        public B(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        public String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }

        @Override
        public String type() {
            return "B";
        }

        @Override
        public int compareTo(B other) {
            return Arrays.compareUnsigned(bytes, other.bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof B b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "B[" + base64() + "]";
        }
    }

    record SS(Set<String> values) implements Value {
        public SS {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        @Override
        public String type() {
            return "SS";
        }
    }

    record NS(Set<BigDecimal> values) implements Value {
        public NS {
            Set<BigDecimal> canonical = new LinkedHashSet<>();
            for (BigDecimal v : values) {
                canonical.add(Numbers.canonical(v));
            }
            values = Collections.unmodifiableSet(canonical);
        }

        @Override
        public String type() {
            return "NS";
        }
    }

    record BS(Set<B> values) implements Value {
        public BS {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        @Override
        public String type() {
            return "BS";
        }
    }

    /** A map; attribute order is kept as given (DynamoDB does not promise one). */
    record M(Map<String, Value> values) implements Value {
        public M {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public String type() {
            return "M";
        }
    }

    record L(List<Value> values) implements Value {
        public L {
            values = List.copyOf(values);
        }

        @Override
        public String type() {
            return "L";
        }
    }

    record Null() implements Value {
        public static final Null INSTANCE = new Null();

        @Override
        public String type() {
            return "NULL";
        }
    }

    record Bool(boolean value) implements Value {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        @Override
        public String type() {
            return "BOOL";
        }
    }

    static S s(String value) {
        return new S(value);
    }

    static N n(String text) {
        return new N(Numbers.parse(text));
    }

    static N n(long value) {
        return new N(BigDecimal.valueOf(value));
    }
}
