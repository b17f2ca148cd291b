package com.pisync.dynamodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyCodecTest {

    private final Random random = new Random(42);

    @Test
    void stringEncodingsSortLikeUtf8BytesAndDecodeBack() {
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            values.add(new Value.S(randomString()));
        }
        values.add(new Value.S("a"));
        values.add(new Value.S("a\0"));
        values.add(new Value.S("a\0\0b"));
        values.add(new Value.S("a\u0001"));
        values.add(new Value.S("\uD83D\uDE00"));
        values.add(new Value.S("\uFFFF"));
        checkOrderAndRoundTrip(values, "S");
    }

    @Test
    void numberEncodingsSortNumericallyAndDecodeBack() {
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            values.add(new Value.N(randomNumber()));
        }
        for (String s : new String[] {"0", "-0.0", "1", "-1", "10", "0.1", "0.10001", "1E+125", "-1E+125", "1E-130",
                "-1E-130", "99999999999999999999999999999999999999", "0.01", "100", "101", "1.5", "-1.5", "-100", "-101"}) {
            values.add(new Value.N(new BigDecimal(s)));
        }
        checkOrderAndRoundTrip(values, "N");
    }

    @Test
    void binaryEncodingsSortAsUnsignedBytesAndDecodeBack() {
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[random.nextInt(6)];
            random.nextBytes(b);
            values.add(new Value.B(b));
        }
        values.add(new Value.B(new byte[] {0}));
        values.add(new Value.B(new byte[] {0, 0}));
        values.add(new Value.B(new byte[] {(byte) 0xFF}));
        values.add(new Value.B(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        checkOrderAndRoundTrip(values, "B");
    }

    @Test
    void compositeKeysSortByPartitionThenSortKey() {
        for (int i = 0; i < 3000; i++) {
            Value p1 = new Value.S(randomString());
            Value p2 = random.nextInt(4) == 0 ? p1 : new Value.S(randomString());
            Value s1 = new Value.N(randomNumber());
            Value s2 = new Value.N(randomNumber());
            int expected = Values.compare(p1, p2);
            if (expected == 0) {
                expected = Values.compare(s1, s2);
            }
            int actual = Arrays.compareUnsigned(KeyCodec.encode(p1, s1), KeyCodec.encode(p2, s2));
            assertEquals(Integer.signum(expected), Integer.signum(actual), p1 + "/" + s1 + " vs " + p2 + "/" + s2);
        }
    }

    @Test
    void aPrefixRangeHoldsExactlyTheStringsWithThatPrefix() {
        for (int i = 0; i < 2000; i++) {
            String prefix = randomString();
            String s = random.nextBoolean() ? prefix + randomString() : randomString();
            byte[] p = KeyCodec.prefixOf(new Value.S(prefix));
            byte[] e = KeyCodec.encode(new Value.S(s));
            byte[] upper = KeyCodec.successor(p);
            boolean inRange = Arrays.compareUnsigned(e, p) >= 0 && (upper == null || Arrays.compareUnsigned(e, upper) < 0);
            assertEquals(s.startsWith(prefix), inRange, s + " / " + prefix);
        }
    }

    private void checkOrderAndRoundTrip(List<Value> values, String type) {
        for (int i = 0; i < values.size(); i++) {
            Value a = values.get(i);
            Value b = values.get(random.nextInt(values.size()));
            byte[] ea = KeyCodec.encode(a);
            byte[] eb = KeyCodec.encode(b);
            assertEquals(Integer.signum(Values.compare(a, b)), Integer.signum(Arrays.compareUnsigned(ea, eb)), a + " vs " + b);
            byte[] both = KeyCodec.encode(a, b);
            int[] pos = {0};
            assertEquals(a, KeyCodec.read(both, pos, type));
            assertEquals(b, KeyCodec.read(both, pos, type));
            assertEquals(both.length, pos[0]);
        }
    }

    private String randomString() {
        int n = random.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                sb.append('\0');
            } else if (kind == 1) {
                sb.append((char) (0x80 + random.nextInt(0x700)));
            } else if (kind == 2) {
                sb.appendCodePoint(0x1F600 + random.nextInt(50));
            } else {
                sb.append((char) ('a' + random.nextInt(3)));
            }
        }
        return sb.toString();
    }

    private BigDecimal randomNumber() {
        switch (random.nextInt(4)) {
            case 0:
                return BigDecimal.valueOf(random.nextInt(2001) - 1000);
            case 1:
                return BigDecimal.valueOf(random.nextInt(200001) - 100000, random.nextInt(8));
            case 2:
                return new BigDecimal((random.nextBoolean() ? "-" : "") + (1 + random.nextInt(9)) + "E" + (random.nextInt(250) - 125));
            default:
                return new BigDecimal(new java.math.BigInteger(120, random), random.nextInt(60) - 20)
                        .round(new java.math.MathContext(38)).multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1));
        }
    }
}
