package com.pisync.dynamodb.storage;

import com.pisync.dynamodb.value.Value;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Order-preserving, self-delimiting encoding of key values (S, N, B): comparing two encodings as unsigned
 * bytes gives DynamoDB's order of the values, and a value's encoding is never a prefix of another's, so
 * composite keys are plain concatenations (partition key, then sort key) and a partition is a prefix range.
 *
 * <p>S and B: the bytes with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x01. N: a sign byte (1 negative,
 * 2 zero, 3 positive), then for non-zero the decimal exponent (2 bytes) and the digits two per byte
 * (1..100), ended by 0; negatives have exponent and digits complemented so larger magnitudes sort first.
 */
public final class KeyCodec {

    private KeyCodec() {
    }

    public static byte[] encode(Value value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        write(out, value);
        return out.toByteArray();
    }

    public static byte[] encode(Value partition, Value sort) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48);
        write(out, partition);
        if (sort != null) {
            write(out, sort);
        }
        return out.toByteArray();
    }

    /** Concatenated encodings of the given values (nulls skipped). */
    public static byte[] encodeAll(Value... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (Value v : values) {
            if (v != null) {
                write(out, v);
            }
        }
        return out.toByteArray();
    }

    /** The common start of the encodings of every S or B value that begins with {@code prefix}. */
    public static byte[] prefixOf(Value prefix) {
        byte[] raw = prefix instanceof Value.S s ? s.value().getBytes(StandardCharsets.UTF_8) : ((Value.B) prefix).bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 4);
        for (byte b : raw) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        return out.toByteArray();
    }

    /** The smallest byte string greater than every string starting with {@code prefix}; null if none. */
    public static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xFF) != 0xFF) {
                byte[] next = java.util.Arrays.copyOf(prefix, i + 1);
                next[i]++;
                return next;
            }
        }
        return null;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static void write(ByteArrayOutputStream out, Value value) {
        if (value instanceof Value.S s) {
            writeBytes(out, s.value().getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Value.B b) {
            writeBytes(out, b.bytes());
        } else if (value instanceof Value.N n) {
            writeNumber(out, n.value());
        } else {
            throw new IllegalArgumentException("not a key type: " + value.type());
        }
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        for (byte b : bytes) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        out.write(0);
        out.write(1);
    }

    private static void writeNumber(ByteArrayOutputStream out, BigDecimal value) {
        int sign = value.signum();
        if (sign == 0) {
            out.write(2);
            return;
        }
        BigDecimal magnitude = value.abs().stripTrailingZeros();
        String digits = magnitude.unscaledValue().toString();
        // magnitude = 0.d1d2...dn x 10^exponent
        int exponent = digits.length() - magnitude.scale();
        int mask = sign < 0 ? 0xFF : 0;
        out.write(sign < 0 ? 1 : 3);
        int biased = exponent + 0x8000;
        out.write(((biased >>> 8) & 0xFF) ^ mask);
        out.write((biased & 0xFF) ^ mask);
        for (int i = 0; i < digits.length(); i += 2) {
            int hi = digits.charAt(i) - '0';
            int lo = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' : 0;
            out.write((hi * 10 + lo + 1) ^ mask);
        }
        out.write(mask);
    }

    /** Decodes one value of the given type starting at {@code pos[0]}, advancing it. */
    public static Value read(byte[] bytes, int[] pos, String type) {
        switch (type) {
            case "S":
                return new Value.S(new String(readBytes(bytes, pos), StandardCharsets.UTF_8));
            case "B":
                return new Value.B(readBytes(bytes, pos));
            case "N":
                return new Value.N(readNumber(bytes, pos));
            default:
                throw new IllegalArgumentException("not a key type: " + type);
        }
    }

    private static byte[] readBytes(byte[] bytes, int[] pos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = pos[0];
        while (true) {
            int b = bytes[i++] & 0xFF;
            if (b == 0) {
                int next = bytes[i++] & 0xFF;
                if (next == 1) {
                    break;
                }
                out.write(0);
            } else {
                out.write(b);
            }
        }
        pos[0] = i;
        return out.toByteArray();
    }

    private static BigDecimal readNumber(byte[] bytes, int[] pos) {
        int i = pos[0];
        int tag = bytes[i++];
        if (tag == 2) {
            pos[0] = i;
            return BigDecimal.ZERO;
        }
        int mask = tag == 1 ? 0xFF : 0;
        int biased = (((bytes[i++] & 0xFF) ^ mask) << 8) | ((bytes[i++] & 0xFF) ^ mask);
        int exponent = biased - 0x8000;
        StringBuilder digits = new StringBuilder();
        while (true) {
            int b = (bytes[i++] & 0xFF) ^ mask;
            if (b == 0) {
                break;
            }
            int pair = b - 1;
            digits.append((char) ('0' + pair / 10)).append((char) ('0' + pair % 10));
        }
        pos[0] = i;
        BigDecimal magnitude = new BigDecimal(new BigInteger(digits.toString()), digits.length() - exponent);
        return tag == 1 ? magnitude.negate() : magnitude;
    }
}
