package com.pisync.dynamodb.value;

import java.util.Arrays;

/** Ordering of scalar values as DynamoDB sorts keys and compares with {@code <}, {@code BETWEEN}: strings
 * by UTF-8 bytes, numbers by value, binaries by unsigned bytes. */
public final class Values {

    private Values() {
    }

    /** Whether {@code a} and {@code b} are scalars of one type that can be ordered (S, N or B). */
    public static boolean comparable(Value a, Value b) {
        return a != null && b != null && a.type().equals(b.type())
                && (a instanceof Value.S || a instanceof Value.N || a instanceof Value.B);
    }

    /** Compares two values of the same scalar type; see {@link #comparable}. */
    public static int compare(Value a, Value b) {
        if (a instanceof Value.S x && b instanceof Value.S y) {
            return Arrays.compareUnsigned(x.utf8(), y.utf8());
        }
        if (a instanceof Value.N x && b instanceof Value.N y) {
            return x.value().compareTo(y.value());
        }
        if (a instanceof Value.B x && b instanceof Value.B y) {
            return x.compareTo(y);
        }
        throw new IllegalArgumentException("not comparable: " + a.type() + " and " + b.type());
    }
}
