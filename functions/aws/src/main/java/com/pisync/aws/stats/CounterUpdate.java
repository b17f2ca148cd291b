package com.pisync.aws.stats;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Amounts to add to one counter item (attribute name → amount), and the item's expiry (epoch seconds,
 * null for counters that never expire).
 */
public record CounterUpdate(Key key, Map<String, BigDecimal> add, Long expiresAt) {

    /** A counter item's primary key. */
    public record Key(String scope, String counter) {
        public Key {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(counter, "counter");
        }
    }

    public CounterUpdate {
        Objects.requireNonNull(key, "key");
        TreeMap<String, BigDecimal> nonZero = new TreeMap<>();
        add.forEach((name, amount) -> {
            if (amount.signum() != 0) {
                nonZero.put(name, amount);
            }
        });
        add = Collections.unmodifiableMap(nonZero);
    }

    public static CounterUpdate of(String scope, String counter, Map<String, BigDecimal> add, Long expiresAt) {
        return new CounterUpdate(new Key(scope, counter), add, expiresAt);
    }

    /** This update and another of the same counter as one. */
    public CounterUpdate plus(CounterUpdate other) {
        if (!key.equals(other.key)) {
            throw new IllegalArgumentException("different counters: " + key + " and " + other.key);
        }
        TreeMap<String, BigDecimal> sum = new TreeMap<>(add);
        other.add.forEach((name, amount) -> sum.merge(name, amount, BigDecimal::add));
        Long expiry = expiresAt;
        if (expiry == null || (other.expiresAt != null && other.expiresAt > expiry)) {
            expiry = other.expiresAt;
        }
        return new CounterUpdate(key, sum, expiry);
    }

    /** Nothing to add: e.g. a device that moved site and back in one batch. */
    public boolean isEmpty() {
        return add.isEmpty();
    }
}
