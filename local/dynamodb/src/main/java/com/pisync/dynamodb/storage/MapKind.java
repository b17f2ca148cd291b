package com.pisync.dynamodb.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The key and value types of a store map, and how the journal writes them as bytes. */
enum MapKind {
    /** byte[] keys (unsigned order) to byte[] values: items, indexes, TTL index. */
    BYTES,
    /** long keys to byte[] values: stream records by sequence number. */
    LONG,
    /** String keys to String values: catalog, counters. */
    STRING;

    byte[] keyBytes(Object key) {
        switch (this) {
            case BYTES:
                return (byte[]) key;
            case LONG:
                return ByteBuffer.allocate(8).putLong((Long) key).array();
            default:
                return ((String) key).getBytes(StandardCharsets.UTF_8);
        }
    }

    Object key(byte[] bytes) {
        switch (this) {
            case BYTES:
                return bytes;
            case LONG:
                return ByteBuffer.wrap(bytes).getLong();
            default:
                return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    byte[] valueBytes(Object value) {
        return this == STRING ? ((String) value).getBytes(StandardCharsets.UTF_8) : (byte[]) value;
    }

    Object value(byte[] bytes) {
        return this == STRING ? new String(bytes, StandardCharsets.UTF_8) : bytes;
    }
}
