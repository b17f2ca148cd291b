package com.pisync.dynamodb.value;

import com.pisync.dynamodb.DynamoException;
import java.math.BigDecimal;

/** DynamoDB's number rules: 38 significant digits, magnitudes from 1E-130 to below 1E+126, canonical text. */
public final class Numbers {

    private static final BigDecimal MAX = new BigDecimal("1E+126");
    private static final BigDecimal MIN = new BigDecimal("1E-130");

    private Numbers() {
    }

    /** Parses a number as DynamoDB does, with its messages for text, precision and range errors. */
    public static BigDecimal parse(String text) {
        BigDecimal value;
        try {
            if (text.isEmpty() || text.contains("_") || text.strip().length() != text.length()) {
                throw new NumberFormatException();
            }
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw DynamoException.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        return check(value);
    }

    /** Checks precision and range of a value computed by the engine (ADD, SET a + b). */
    public static BigDecimal check(BigDecimal value) {
        BigDecimal canonical = canonical(value);
        if (canonical.signum() == 0) {
            return canonical;
        }
        if (canonical.precision() > 38) {
            throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal magnitude = canonical.abs();
        if (magnitude.compareTo(MAX) >= 0) {
            throw DynamoException.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (magnitude.compareTo(MIN) < 0) {
            throw DynamoException.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return canonical;
    }

    /** Trailing zeros stripped, zero as plain 0: equal numbers become equal objects. */
    public static BigDecimal canonical(BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return value.stripTrailingZeros();
    }
}
