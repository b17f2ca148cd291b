package com.pisync.dynamodb.storage;

import org.h2.mvstore.MVMap;

/**
 * A map of the store whose changes go through the running write: each put or remove is remembered (to
 * undo it if the operation fails, and to journal it when the operation succeeds). Reads and cursors use
 * {@link #read()} directly.
 */
public final class StoreMap<K, V> {

    final Store store;
    final String name;
    final MapKind kind;
    final MVMap<K, V> map;

    StoreMap(Store store, String name, MapKind kind, MVMap<K, V> map) {
        this.store = store;
        this.name = name;
        this.kind = kind;
        this.map = map;
    }

    public String name() {
        return name;
    }

    /** The underlying map, for reads only. */
    public MVMap<K, V> read() {
        return map;
    }

    public V get(K key) {
        return map.get(key);
    }

    public V put(K key, V value) {
        V old = map.put(key, value);
        store.changed(this, key, old, value);
        return old;
    }

    public V remove(K key) {
        V old = map.remove(key);
        if (old != null) {
            store.changed(this, key, old, null);
        }
        return old;
    }

    public long size() {
        return map.sizeAsLong();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** Puts or removes without recording: undo and journal replay. */
    @SuppressWarnings("unchecked")
    void apply(Object key, Object value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put((K) key, (V) value);
        }
    }
}
