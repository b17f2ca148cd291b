package com.pisync.dynamodb.stream;

import com.pisync.dynamodb.DynamoException;
import java.math.BigInteger;

/** Stream sequence numbers as DynamoDB writes them: decimal strings of 21 digits, increasing with each record. */
public final class SequenceNumbers {

    private static final BigInteger BASE = BigInteger.TEN.pow(20);

    private SequenceNumbers() {
    }

    public static String text(long sequence) {
        return BASE.add(BigInteger.valueOf(sequence)).toString();
    }

    /** The engine's counter for a sequence number string; InvalidArgument-style ValidationException if it is not one. */
    public static long parse(String text) {
        try {
            BigInteger value = new BigInteger(text).subtract(BASE);
            if (value.signum() < 0 || value.bitLength() > 62) {
                throw new NumberFormatException();
            }
            return value.longValue();
        } catch (NumberFormatException | NullPointerException e) {
            throw DynamoException.validation("Invalid SequenceNumber: " + text);
        }
    }
}
