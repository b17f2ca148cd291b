package com.pisync.dynamodb.storage;

import com.pisync.dynamodb.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact binary form of items for storage: a varint attribute count, then per attribute its UTF-8 name
 * (varint length) and the value as a type tag and payload. Numbers are kept as unscaled bytes and scale,
 * so reading one back needs no text parsing.
 */
public final class ItemCodec {

    private static final int S = 1, N = 2, B = 3, SS = 4, NS = 5, BS = 6, M = 7, L = 8, NULL = 9, TRUE = 10, FALSE = 11;

    private ItemCodec() {
    }

    public static byte[] encode(Map<String, Value> item) {
        Out out = new Out(64);
        writeMap(out, item);
        return out.toByteArray();
    }

    public static Map<String, Value> decode(byte[] bytes) {
        In in = new In(bytes);
        return readMap(in);
    }

    private static void writeMap(Out out, Map<String, Value> map) {
        out.varInt(map.size());
        for (Map.Entry<String, Value> e : map.entrySet()) {
            out.string(e.getKey());
            writeValue(out, e.getValue());
        }
    }

    private static void writeValue(Out out, Value value) {
        if (value instanceof Value.S s) {
            out.put(S);
            out.string(s.value());
        } else if (value instanceof Value.N n) {
            out.put(N);
            writeNumber(out, n.value());
        } else if (value instanceof Value.B b) {
            out.put(B);
            out.bytes(b.bytes());
        } else if (value instanceof Value.SS ss) {
            out.put(SS);
            out.varInt(ss.values().size());
            for (String s : ss.values()) {
                out.string(s);
            }
        } else if (value instanceof Value.NS ns) {
            out.put(NS);
            out.varInt(ns.values().size());
            for (BigDecimal n : ns.values()) {
                writeNumber(out, n);
            }
        } else if (value instanceof Value.BS bs) {
            out.put(BS);
            out.varInt(bs.values().size());
            for (Value.B b : bs.values()) {
                out.bytes(b.bytes());
            }
        } else if (value instanceof Value.M m) {
            out.put(M);
            writeMap(out, m.values());
        } else if (value instanceof Value.L l) {
            out.put(L);
            out.varInt(l.values().size());
            for (Value v : l.values()) {
                writeValue(out, v);
            }
        } else if (value instanceof Value.Null) {
            out.put(NULL);
        } else if (value instanceof Value.Bool b) {
            out.put(b.value() ? TRUE : FALSE);
        } else {
            throw new IllegalArgumentException("unknown value " + value);
        }
    }

    private static void writeNumber(Out out, BigDecimal n) {
        out.varInt(zigZag(n.scale()));
        out.bytes(n.unscaledValue().toByteArray());
    }

    private static Map<String, Value> readMap(In in) {
        int size = in.varInt();
        Map<String, Value> map = new LinkedHashMap<>(Math.max(4, size * 4 / 3 + 1));
        for (int i = 0; i < size; i++) {
            String name = in.string();
            map.put(name, readValue(in));
        }
        return map;
    }

    private static Value readValue(In in) {
        int tag = in.get();
        switch (tag) {
            case S:
                return new Value.S(in.string());
            case N:
                return new Value.N(readNumber(in));
            case B:
                return new Value.B(in.bytes());
            case SS: {
                int n = in.varInt();
                Set<String> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(in.string());
                }
                return new Value.SS(set);
            }
            case NS: {
                int n = in.varInt();
                Set<BigDecimal> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(readNumber(in));
                }
                return new Value.NS(set);
            }
            case BS: {
                int n = in.varInt();
                Set<Value.B> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(new Value.B(in.bytes()));
                }
                return new Value.BS(set);
            }
            case M:
                return new Value.M(readMap(in));
            case L: {
                int n = in.varInt();
                List<Value> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in));
                }
                return new Value.L(list);
            }
            case NULL:
                return Value.Null.INSTANCE;
            case TRUE:
                return Value.Bool.TRUE;
            case FALSE:
                return Value.Bool.FALSE;
            default:
                throw new IllegalStateException("corrupt item: unknown tag " + tag);
        }
    }

    private static BigDecimal readNumber(In in) {
        int scale = unZigZag(in.varInt());
        return new BigDecimal(new BigInteger(in.bytes()), scale);
    }

    private static int zigZag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    private static int unZigZag(int v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growable byte buffer with varints. */
    static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void put(int b) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[len++] = (byte) b;
        }

        void put(byte[] bytes) {
            if (len + bytes.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + bytes.length));
            }
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
        }

        void varInt(int v) {
            while ((v & ~0x7F) != 0) {
                put((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            put(v);
        }

        void bytes(byte[] b) {
            varInt(b.length);
            put(b);
        }

        void string(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        int get() {
            return buf[pos++] & 0xFF;
        }

        int varInt() {
            int result = 0;
            for (int shift = 0;; shift += 7) {
                int b = get();
                result |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
        }

        byte[] bytes() {
            int n = varInt();
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        String string() {
            int n = varInt();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
