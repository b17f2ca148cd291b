package com.pisync.dynamodb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The engine's storage: an MVStore file ({@value #FILE_NAME}) plus a redo journal ({@value #JOURNAL_NAME}),
 * or memory only. A write operation runs between {@link #beginWrite()} and {@link #endWrite()}: its map
 * changes are appended to the journal as one record before it is acknowledged (durable against a killed
 * process), and the MVStore itself is committed (a checkpoint) every {@value #CHECKPOINT_RECORDS} records.
 * {@link #abortWrite()} undoes a failed operation's changes. Opening replays what the journal holds beyond
 * the last checkpoint. The caller serializes writers.
 */
public final class Store implements AutoCloseable {

    public static final String FILE_NAME = "pisync-dynamodb.mv.db";
    public static final String JOURNAL_NAME = "pisync-dynamodb.journal";
    static final String FORMAT = "pisync-dynamodb/1";
    static final int CHECKPOINT_RECORDS = 5_000;
    static final long CHECKPOINT_BYTES = 64L << 20;
    private static final int COMPACT_EVERY_CHECKPOINTS = 20;
    private static final int CACHE_MB = 64;

    private final MVStore store;
    private final Journal journal;
    private final Map<String, StoreMap<?, ?>> maps = new HashMap<>();
    private final StoreMap<String, String> meta;
    private List<Change> batch;
    private int checkpoints;

    private record Change(StoreMap<?, ?> map, Object key, Object oldValue, Object newValue) {
    }

    private Store(MVStore store, Journal journal) {
        this.store = store;
        this.journal = journal;
        this.meta = stringMap("meta");
    }

    public static Store inMemory() {
        Store s = new Store(new MVStore.Builder().autoCommitDisabled().open(), null);
        s.meta.map.put("format", FORMAT);
        return s;
    }

    /** Opens (or creates) the store in {@code dataDir}, refusing folders this engine did not write. */
    public static Store open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir, e);
        }
        Path file = dataDir.resolve(FILE_NAME);
        boolean existed = Files.exists(file);
        if (!existed) {
            refuseForeignFolder(dataDir);
        }
        MVStore mv;
        try {
            // 64 MB of decoded pages (MVStore's default is 16): a million-item table with an index then
            // reads mostly from memory instead of re-reading pages from the file.
            mv = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().cacheSize(CACHE_MB).open();
        } catch (MVStoreException e) {
            throw new IllegalStateException("cannot open the engine's data file " + file + " (" + e.getMessage()
                    + "). If another engine uses this folder, stop it; if the file is damaged or not ours, "
                    + "move or delete the folder to start fresh.", e);
        }
        // MVStore's default chunk retention (45 s) stays: with retention 0 a process killed during or just after
        // a checkpoint could leave the file pointing at a chunk whose space was already reused (CrashRecoveryTest
        // of the local runner caught "Illegal page length" on restart). Checkpoints are rare (every
        // CHECKPOINT_RECORDS journal records), so the space kept for 45 s is small.
        MVMap<String, String> rawMeta = mv.openMap("meta", new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
        String format = rawMeta.get("format");
        if (format == null && existed) {
            mv.closeImmediately();
            throw new IllegalStateException("The data file " + file + " was not written by this engine. Move or delete "
                    + "the folder " + dataDir + " to start with an empty database.");
        }
        if (format != null && !FORMAT.equals(format)) {
            mv.closeImmediately();
            throw new IllegalStateException("The data file " + file + " was written in format " + format + ", this engine "
                    + "reads " + FORMAT + ". Move or delete the folder " + dataDir + " to start with an empty database.");
        }
        Store s = new Store(mv, Journal.open(dataDir.resolve(JOURNAL_NAME)));
        if (format == null) {
            s.meta.map.put("format", FORMAT);
        }
        s.replay();
        s.checkpoint();
        return s;
    }

    private static void refuseForeignFolder(Path dataDir) {
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.equals(JOURNAL_NAME)).sorted().forEach(foreign::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data folder " + dataDir, e);
        }
        if (foreign.isEmpty()) {
            return;
        }
        boolean dynamoDbLocal = foreign.stream().anyMatch(n -> n.endsWith(".db"));
        throw new IllegalStateException("The data folder " + dataDir + " holds files this engine did not write "
                + foreign + (dynamoDbLocal ? ": it looks like an Amazon DynamoDB Local database (SQLite), which this "
                + "engine cannot read" : "") + ". Move or delete the folder (or pick another one) to start with an "
                + "empty database; nothing in it was changed.");
    }

    // ---- maps -----------------------------------------------------------------------------------------

    public StoreMap<byte[], byte[]> bytesMap(String name) {
        return map(name, MapKind.BYTES);
    }

    public StoreMap<Long, byte[]> longMap(String name) {
        return map(name, MapKind.LONG);
    }

    public StoreMap<String, String> stringMap(String name) {
        return map(name, MapKind.STRING);
    }

    @SuppressWarnings("unchecked")
    private synchronized <K, V> StoreMap<K, V> map(String name, MapKind kind) {
        StoreMap<?, ?> existing = maps.get(name);
        if (existing != null && !existing.map.isClosed()) {
            return (StoreMap<K, V>) existing;
        }
        MVMap<?, ?> mv;
        switch (kind) {
            case BYTES:
                mv = store.openMap(name, new MVMap.Builder<byte[], byte[]>().keyType(BytesType.INSTANCE).valueType(BytesType.INSTANCE));
                break;
            case LONG:
                mv = store.openMap(name, new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(BytesType.INSTANCE));
                break;
            default:
                mv = store.openMap(name, new MVMap.Builder<String, String>().keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
        }
        StoreMap<K, V> m = new StoreMap<>(this, name, kind, (MVMap<K, V>) mv);
        maps.put(name, m);
        return m;
    }

    /** Drops a map (structural: only between checkpoints, see {@link #checkpoint()}). */
    public synchronized void removeMap(String name) {
        maps.remove(name);
        if (store.hasMap(name)) {
            store.removeMap(name);
        }
    }

    /** Engine-wide small values (format marker, counters). */
    public StoreMap<String, String> meta() {
        return meta;
    }

    // ---- writes ---------------------------------------------------------------------------------------

    public void beginWrite() {
        batch = new ArrayList<>();
    }

    void changed(StoreMap<?, ?> map, Object key, Object oldValue, Object newValue) {
        if (batch != null) {
            batch.add(new Change(map, key, oldValue, newValue));
        }
    }

    /** Makes the running operation's changes durable (a journal record), checkpointing now and then. */
    public void endWrite() {
        List<Change> changes = batch;
        batch = null;
        if (journal == null) {
            if (changes != null && !changes.isEmpty() && ++checkpoints % CHECKPOINT_RECORDS == 0) {
                store.commit(); // lets an in-memory store drop old versions
            }
            return;
        }
        if (changes != null && !changes.isEmpty()) {
            journal.append(encode(changes));
        }
        if (journal.records() >= CHECKPOINT_RECORDS || journal.size() >= CHECKPOINT_BYTES) {
            checkpoint();
        }
    }

    /** Undoes the running operation's changes, newest first; whether there were any. */
    public boolean abortWrite() {
        List<Change> changes = batch;
        batch = null;
        if (changes == null || changes.isEmpty()) {
            return false;
        }
        for (int i = changes.size() - 1; i >= 0; i--) {
            Change c = changes.get(i);
            c.map.apply(c.key, c.oldValue);
        }
        return true;
    }

    /** Commits the MVStore (everything so far) and empties the journal. */
    public void checkpoint() {
        store.commit();
        if (journal != null) {
            if (++checkpoints % COMPACT_EVERY_CHECKPOINTS == 0) {
                store.compact(50, 1 << 20);
                store.commit();
            }
            journal.clear();
        }
    }

    /** Back to the last checkpoint: for a failed structural change (which began with a checkpoint). */
    public synchronized void rollback() {
        store.rollback();
    }

    private static byte[] encode(List<Change> changes) {
        ItemCodec.Out out = new ItemCodec.Out(256);
        out.varInt(changes.size());
        for (Change c : changes) {
            out.string(c.map.name);
            out.put(c.map.kind.ordinal());
            out.bytes(c.map.kind.keyBytes(c.key));
            if (c.newValue == null) {
                out.put(0);
            } else {
                out.put(1);
                out.bytes(c.map.kind.valueBytes(c.newValue));
            }
        }
        return out.toByteArray();
    }

    private void replay() {
        for (byte[] payload : journal.readAll()) {
            ItemCodec.In in = new ItemCodec.In(payload);
            int n = in.varInt();
            for (int i = 0; i < n; i++) {
                String name = in.string();
                MapKind kind = MapKind.values()[in.get()];
                Object key = kind.key(in.bytes());
                Object value = in.get() == 1 ? kind.value(in.bytes()) : null;
                map(name, kind).apply(key, value);
            }
        }
    }

    public boolean isInMemory() {
        return journal == null;
    }

    @Override
    public void close() {
        if (!store.isClosed()) {
            checkpoint();
            store.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    /** For crash tests: stops without writing anything further, as a killed process would. */
    public void closeImmediately() {
        store.closeImmediately();
        if (journal != null) {
            journal.close();
        }
    }
}
