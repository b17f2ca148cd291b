package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.storage.ItemCodec;
import com.pisync.dynamodb.table.IndexDefinition;
import com.pisync.dynamodb.table.KeySchema;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * What a Query or Scan reads: the table's items or one index's entries, in key order (either way), between
 * byte bounds, resuming after an ExclusiveStartKey.
 */
final class ItemSource {

    final Table table;
    final IndexDefinition index;
    final MVMap<byte[], byte[]> map;

    ItemSource(Table table, String indexName) {
        this.table = table;
        if (indexName == null) {
            this.index = null;
            this.map = table.items();
        } else {
            this.index = table.definition().index(indexName);
            if (index == null) {
                throw DynamoException.validation("The table does not have the specified index: " + indexName);
            }
            this.map = table.indexMap(indexName);
        }
    }

    KeySchema keys() {
        return index == null ? table.definition().keys() : index.keys();
    }

    boolean isIndex() {
        return index != null;
    }

    /** The store position of an item (or start key) in this source. */
    byte[] positionOf(Map<String, Value> item) {
        return index == null ? table.keyOf(item) : table.indexKeyOf(index, item);
    }

    /** LastEvaluatedKey: the table key, plus the index key for index reads. */
    Map<String, Value> lastEvaluatedKey(Map<String, Value> item) {
        Map<String, Value> key = new LinkedHashMap<>(table.keyAttributes(item));
        if (index != null) {
            key.put(index.keys().partitionName(), item.get(index.keys().partitionName()));
            if (index.keys().hasSort()) {
                key.put(index.keys().sortName(), item.get(index.keys().sortName()));
            }
        }
        return key;
    }

    /** Checks ExclusiveStartKey against the schema and returns its position, or null when absent. */
    byte[] startPosition(JsonNode request) {
        JsonNode node = request.get("ExclusiveStartKey");
        if (node == null || node.isNull()) {
            return null;
        }
        Map<String, Value> key = ValueJson.item(node);
        KeySchema t = table.definition().keys();
        int expected = t.hasSort() ? 2 : 1;
        boolean ok = matches(key, t.partitionName(), t.partitionType()) && (!t.hasSort() || matches(key, t.sortName(), t.sortType()));
        if (index != null) {
            KeySchema ik = index.keys();
            ok &= matches(key, ik.partitionName(), ik.partitionType()) && (!ik.hasSort() || matches(key, ik.sortName(), ik.sortType()));
            java.util.Set<String> names = new java.util.HashSet<>(java.util.Arrays.asList(t.partitionName(), t.sortName(),
                    ik.partitionName(), ik.sortName()));
            names.remove(null);
            expected = names.size();
        }
        if (!ok || key.size() != expected) {
            throw DynamoException.validation("The provided starting key is invalid: The provided key element does not match the schema");
        }
        return positionOf(key);
    }

    private static boolean matches(Map<String, Value> key, String name, String type) {
        Value v = key.get(name);
        return v != null && v.type().equals(type);
    }

    /** Entries with {@code lower <= key < upper} (null = unbounded), after {@code start} if given. */
    Iterator<Map.Entry<byte[], byte[]>> range(byte[] lower, byte[] upper, byte[] start, boolean forward) {
        byte[] first;
        if (forward) {
            first = lower;
            if (start != null && (first == null || java.util.Arrays.compareUnsigned(start, first) >= 0)) {
                first = map.higherKey(start);
                if (first == null) {
                    return java.util.Collections.emptyIterator();
                }
            }
        } else {
            byte[] bound = upper;
            if (start != null && (bound == null || java.util.Arrays.compareUnsigned(start, bound) < 0)) {
                bound = start;
            }
            first = bound == null ? (map.isEmpty() ? null : map.lastKey()) : map.lowerKey(bound);
            if (first == null) {
                return java.util.Collections.emptyIterator();
            }
        }
        Cursor<byte[], byte[]> cursor = map.cursor(first, null, !forward);
        return new Iterator<>() {
            Map.Entry<byte[], byte[]> next = advance();

            private Map.Entry<byte[], byte[]> advance() {
                if (!cursor.hasNext()) {
                    return null;
                }
                byte[] k = cursor.next();
                if (forward && upper != null && java.util.Arrays.compareUnsigned(k, upper) >= 0) {
                    return null;
                }
                if (!forward && lower != null && java.util.Arrays.compareUnsigned(k, lower) < 0) {
                    return null;
                }
                return Map.entry(k, cursor.getValue());
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Map.Entry<byte[], byte[]> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Map.Entry<byte[], byte[]> e = next;
                next = advance();
                return e;
            }
        };
    }

    static Map<String, Value> decode(byte[] value) {
        return ItemCodec.decode(value);
    }
}
