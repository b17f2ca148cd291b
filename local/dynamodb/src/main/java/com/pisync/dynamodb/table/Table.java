package com.pisync.dynamodb.table;

import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.capacity.ItemSize;
import com.pisync.dynamodb.storage.ItemCodec;
import com.pisync.dynamodb.storage.KeyCodec;
import com.pisync.dynamodb.storage.Store;
import com.pisync.dynamodb.stream.StreamLog;
import com.pisync.dynamodb.stream.StreamRecord;
import com.pisync.dynamodb.value.Value;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import com.pisync.dynamodb.storage.StoreMap;
import org.h2.mvstore.MVMap;

/**
 * A table's data: its items map, one map per secondary index (entries keyed by index key then table key,
 * holding the projected item) and its active stream. Every item change goes through {@link #write}, which
 * keeps indexes, size counters and the stream in step within the caller's commit.
 */
public final class Table {

    private final Store store;
    private volatile TableDefinition definition;
    private final StoreMap<byte[], byte[]> items;
    private final StoreMap<String, String> stats;
    private volatile Map<String, StoreMap<byte[], byte[]>> indexMaps;
    private volatile StreamLog activeStream;
    /** Expiry index while TTL is on: (expiry number, store key) -> store key; the sweeper reads only what expired. */
    private volatile StoreMap<byte[], byte[]> ttlIndex;
    private long sizeBytes;
    private final Map<String, Long> indexSizes = new LinkedHashMap<>();

    Table(Store store, TableDefinition definition, StoreMap<String, String> stats) {
        this.store = store;
        this.stats = stats;
        this.items = store.bytesMap(definition.itemsMap());
        String size = stats.get(definition.tableId());
        this.sizeBytes = size == null ? 0 : Long.parseLong(size);
        setDefinition(definition);
    }

    public TableDefinition definition() {
        return definition;
    }

    /** Installs a changed definition (streams, indexes) and opens the maps it names. */
    void setDefinition(TableDefinition def) {
        Map<String, StoreMap<byte[], byte[]>> maps = new LinkedHashMap<>();
        for (IndexDefinition i : def.allIndexes()) {
            maps.put(i.name(), store.bytesMap(i.mapName()));
            String size = stats.get(def.tableId() + "/" + i.name());
            indexSizes.putIfAbsent(i.name(), size == null ? 0L : Long.parseLong(size));
        }
        indexSizes.keySet().retainAll(maps.keySet());
        StreamInfo active = def.activeStream();
        this.activeStream = active == null ? null : new StreamLog(store.longMap(active.mapName()));
        this.indexMaps = maps;
        this.ttlIndex = def.ttlEnabled() ? store.bytesMap(ttlMapName(def)) : null;
        this.definition = def;
    }

    static String ttlMapName(TableDefinition def) {
        return "t." + def.tableId() + ".ttl";
    }

    /** The items, for reads and cursors. */
    public MVMap<byte[], byte[]> items() {
        return items.read();
    }

    /** An index's entries, for reads and cursors. */
    public MVMap<byte[], byte[]> indexMap(String indexName) {
        StoreMap<byte[], byte[]> m = indexMaps.get(indexName);
        return m == null ? null : m.read();
    }

    public StreamLog stream(StreamInfo info) {
        return new StreamLog(store.longMap(info.mapName()));
    }

    public long itemCount() {
        return items.size();
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long indexItemCount(String index) {
        StoreMap<byte[], byte[]> m = indexMaps.get(index);
        return m == null ? 0 : m.size();
    }

    public long indexSizeBytes(String index) {
        return indexSizes.getOrDefault(index, 0L);
    }

    /** The store key of an item (or of a key map). */
    public byte[] keyOf(Map<String, Value> item) {
        KeySchema k = definition.keys();
        return KeyCodec.encode(item.get(k.partitionName()), k.hasSort() ? item.get(k.sortName()) : null);
    }

    /** The stored item with this store key, or null. */
    public Map<String, Value> get(byte[] key) {
        byte[] bytes = items.get(key);
        return bytes == null ? null : ItemCodec.decode(bytes);
    }

    /** Only the key attributes of an item, in schema order. */
    public Map<String, Value> keyAttributes(Map<String, Value> item) {
        KeySchema k = definition.keys();
        Map<String, Value> key = new LinkedHashMap<>(4);
        key.put(k.partitionName(), item.get(k.partitionName()));
        if (k.hasSort()) {
            key.put(k.sortName(), item.get(k.sortName()));
        }
        return key;
    }

    /** The attributes an index holds for an item: table keys, index keys and the projected attributes. */
    public Map<String, Value> project(IndexDefinition index, Map<String, Value> item) {
        if ("ALL".equals(index.projectionType())) {
            return item;
        }
        Map<String, Value> projected = new LinkedHashMap<>();
        KeySchema t = definition.keys();
        copy(item, projected, t.partitionName());
        copy(item, projected, t.sortName());
        copy(item, projected, index.keys().partitionName());
        copy(item, projected, index.keys().sortName());
        if (index.nonKeyAttributes() != null) {
            for (String a : index.nonKeyAttributes()) {
                copy(item, projected, a);
            }
        }
        return projected;
    }

    private static void copy(Map<String, Value> from, Map<String, Value> to, String name) {
        if (name != null) {
            Value v = from.get(name);
            if (v != null) {
                to.put(name, v);
            }
        }
    }

    /** The index map key: index partition and sort values, then the table key. */
    public byte[] indexKeyOf(IndexDefinition index, Map<String, Value> item) {
        KeySchema ik = index.keys();
        KeySchema tk = definition.keys();
        return KeyCodec.encodeAll(item.get(ik.partitionName()), ik.hasSort() ? item.get(ik.sortName()) : null,
                item.get(tk.partitionName()), tk.hasSort() ? item.get(tk.sortName()) : null);
    }

    /**
     * Replaces {@code oldItem} by {@code newItem} (either may be null) at {@code key}: items map, every
     * index, size counters, and a stream record when the stream is on and the item really changed.
     * Index write units (AWS: a key change costs a delete and a put) go to {@code consumption} if given.
     */
    public void write(byte[] key, Map<String, Value> oldItem, Map<String, Value> newItem, Consumption consumption,
            LongSupplier sequence, long nowMillis, boolean byTtl) {
        if (oldItem == null && newItem == null) {
            return;
        }
        boolean changed = oldItem == null || !oldItem.equals(newItem);
        long oldSize = ItemSize.of(oldItem);
        long newSize = ItemSize.of(newItem);
        if (changed) {
            if (newItem == null) {
                items.remove(key);
            } else {
                items.put(key, ItemCodec.encode(newItem));
            }
            sizeBytes += newSize - oldSize;
            stats.put(definition.tableId(), Long.toString(sizeBytes));
        }
        for (IndexDefinition index : definition.allIndexes()) {
            writeIndex(index, oldItem, newItem, consumption, changed);
        }
        StoreMap<byte[], byte[]> ttl = ttlIndex;
        if (changed && ttl != null) {
            String attribute = definition.ttlAttribute();
            Value before = oldItem == null ? null : oldItem.get(attribute);
            Value after = newItem == null ? null : newItem.get(attribute);
            if (before instanceof Value.N && !before.equals(after)) {
                ttl.remove(KeyCodec.concat(KeyCodec.encode(before), key));
            }
            if (after instanceof Value.N && !after.equals(before)) {
                ttl.put(KeyCodec.concat(KeyCodec.encode(after), key), key);
            }
        }
        StreamLog log = activeStream;
        if (changed && log != null) {
            log.append(record(oldItem, newItem, sequence.getAsLong(), nowMillis, byTtl));
        }
    }

    private void writeIndex(IndexDefinition index, Map<String, Value> oldItem, Map<String, Value> newItem,
            Consumption consumption, boolean changed) {
        KeySchema ik = index.keys();
        boolean wasIn = oldItem != null && ik.covers(oldItem);
        boolean isIn = newItem != null && ik.covers(newItem);
        if (!wasIn && !isIn) {
            return;
        }
        StoreMap<byte[], byte[]> map = indexMaps.get(index.name());
        Map<String, Value> oldProjected = wasIn ? project(index, oldItem) : null;
        Map<String, Value> newProjected = isIn ? project(index, newItem) : null;
        long oldSize = ItemSize.of(oldProjected);
        long newSize = ItemSize.of(newProjected);
        double units = 0;
        if (wasIn && isIn && sameIndexKey(ik, oldItem, newItem)) {
            if (!oldProjected.equals(newProjected)) {
                units = Consumption.writeUnits(Math.max(oldSize, newSize));
                map.put(indexKeyOf(index, newItem), ItemCodec.encode(newProjected));
            }
        } else {
            if (wasIn) {
                units += Consumption.writeUnits(oldSize);
                map.remove(indexKeyOf(index, oldItem));
            }
            if (isIn) {
                units += Consumption.writeUnits(newSize);
                map.put(indexKeyOf(index, newItem), ItemCodec.encode(newProjected));
            }
        }
        if (changed && units > 0) {
            long size = indexSizes.getOrDefault(index.name(), 0L) + newSize - oldSize;
            indexSizes.put(index.name(), size);
            stats.put(definition.tableId() + "/" + index.name(), Long.toString(size));
        }
        if (consumption != null && units > 0) {
            consumption.indexWrite(index.name(), index.global(), units);
        }
    }

    private static boolean sameIndexKey(KeySchema ik, Map<String, Value> a, Map<String, Value> b) {
        return a.get(ik.partitionName()).equals(b.get(ik.partitionName()))
                && (!ik.hasSort() || a.get(ik.sortName()).equals(b.get(ik.sortName())));
    }

    private StreamRecord record(Map<String, Value> oldItem, Map<String, Value> newItem, long sequence, long now,
            boolean byTtl) {
        StreamInfo info = definition.activeStream();
        String view = info.viewType();
        String event = oldItem == null ? "INSERT" : newItem == null ? "REMOVE" : "MODIFY";
        Map<String, Value> keys = keyAttributes(newItem != null ? newItem : oldItem);
        Map<String, Value> newImage = newItem != null && (view.equals("NEW_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))
                ? newItem : null;
        Map<String, Value> oldImage = oldItem != null && (view.equals("OLD_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))
                ? oldItem : null;
        long size = ItemSize.of(keys) + ItemSize.of(newImage) + ItemSize.of(oldImage);
        return new StreamRecord(sequence, event, now, keys, newImage, oldImage, size, view, byTtl);
    }

    /** Fills a new index from the table's items (UpdateTable creating a GSI). */
    void backfill(IndexDefinition index) {
        StoreMap<byte[], byte[]> map = indexMaps.get(index.name());
        long size = 0;
        for (byte[] bytes : items.read().values()) {
            Map<String, Value> item = ItemCodec.decode(bytes);
            if (index.keys().covers(item)) {
                Map<String, Value> p = project(index, item);
                map.put(indexKeyOf(index, item), ItemCodec.encode(p));
                size += ItemSize.of(p);
            }
        }
        indexSizes.put(index.name(), size);
        stats.put(definition.tableId() + "/" + index.name(), Long.toString(size));
    }

    /** Rebuilds the expiry index from the items (TTL just turned on). */
    void backfillTtl() {
        StoreMap<byte[], byte[]> ttl = ttlIndex;
        if (ttl == null) {
            return;
        }
        String attribute = definition.ttlAttribute();
        for (java.util.Map.Entry<byte[], byte[]> e : items.read().entrySet()) {
            Value v = ItemCodec.decode(e.getValue()).get(attribute);
            if (v instanceof Value.N) {
                ttl.put(KeyCodec.concat(KeyCodec.encode(v), e.getKey()), e.getKey());
            }
        }
    }

    /**
     * Store keys of items whose expiry number lies in [{@code from}, {@code before}), oldest first, at most
     * {@code limit}; empty when TTL is off.
     */
    public java.util.List<byte[]> expiring(Value.N from, Value.N before, int limit) {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        StoreMap<byte[], byte[]> ttl = ttlIndex;
        if (ttl == null) {
            return keys;
        }
        byte[] upper = KeyCodec.encode(before);
        org.h2.mvstore.Cursor<byte[], byte[]> c = ttl.read().cursor(KeyCodec.encode(from));
        while (c.hasNext() && keys.size() < limit) {
            byte[] k = c.next();
            if (java.util.Arrays.compareUnsigned(k, upper) >= 0) {
                break;
            }
            keys.add(c.getValue());
        }
        return keys;
    }

    /** Names of all maps this table owns (for DeleteTable). */
    Set<String> mapNames() {
        Set<String> names = new HashSet<>();
        names.add(definition.itemsMap());
        for (IndexDefinition i : definition.allIndexes()) {
            names.add(i.mapName());
        }
        for (StreamInfo s : definition.streams()) {
            names.add(s.mapName());
        }
        names.add(ttlMapName(definition));
        return names;
    }
}
