package com.pisync.dynamodb.capacity;

import com.pisync.dynamodb.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Item and attribute sizes by the rules of AWS's "Item sizes and formats" page: names and strings by UTF-8
 * bytes, binaries by raw bytes, numbers 1 byte per two significant digits plus 1, null and booleans 1
 * byte, lists and maps 3 bytes plus 1 per element, sets the sum of their elements. The same size decides
 * the 400 KB item limit and capacity units.
 */
public final class ItemSize {

    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {
    }

    public static long of(Map<String, Value> item) {
        if (item == null) {
            return 0;
        }
        long size = 0;
        for (Map.Entry<String, Value> e : item.entrySet()) {
            size += utf8Length(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    /** A value's size without its attribute name. */
    public static long value(Value v) {
        if (v instanceof Value.S s) {
            return utf8Length(s.value());
        }
        if (v instanceof Value.N n) {
            return number(n.value());
        }
        if (v instanceof Value.B b) {
            return b.length();
        }
        if (v instanceof Value.Bool || v instanceof Value.Null) {
            return 1;
        }
        if (v instanceof Value.SS ss) {
            long size = 0;
            for (String s : ss.values()) {
                size += utf8Length(s);
            }
            return size;
        }
        if (v instanceof Value.NS ns) {
            long size = 0;
            for (BigDecimal n : ns.values()) {
                size += number(n);
            }
            return size;
        }
        if (v instanceof Value.BS bs) {
            long size = 0;
            for (Value.B b : bs.values()) {
                size += b.length();
            }
            return size;
        }
        if (v instanceof Value.L l) {
            long size = 3;
            for (Value e : l.values()) {
                size += 1 + value(e);
            }
            return size;
        }
        if (v instanceof Value.M m) {
            long size = 3;
            for (Map.Entry<String, Value> e : m.values().entrySet()) {
                size += 1 + utf8Length(e.getKey()) + value(e.getValue());
            }
            return size;
        }
        throw new IllegalArgumentException("unknown value " + v);
    }

    /** 1 byte per two significant digits (leading and trailing zeros trimmed) plus 1 byte. */
    public static int number(BigDecimal n) {
        if (n.signum() == 0) {
            return 2;
        }
        int digits = n.stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
    }

    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the pair of 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    public static int utf8Length(Value.S s) {
        return s.value().getBytes(StandardCharsets.UTF_8).length;
    }
}
