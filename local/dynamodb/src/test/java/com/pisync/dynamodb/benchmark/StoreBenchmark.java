package com.pisync.dynamodb.benchmark;

import com.pisync.dynamodb.storage.ItemCodec;
import com.pisync.dynamodb.storage.KeyCodec;
import com.pisync.dynamodb.storage.BytesType;
import com.pisync.dynamodb.storage.Store;
import com.pisync.dynamodb.storage.StoreMap;
import org.h2.mvstore.MVStore;
import com.pisync.dynamodb.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.h2.mvstore.MVMap;

/**
 * MVStore against SQLite for what the engine does most: one durable write per operation (a commit each,
 * surviving a killed process) and point reads, at 1,000 and 100,000 items. Run:
 * {@code java -cp <test classpath> com.pisync.dynamodb.benchmark.StoreBenchmark [items...]}
 */
public final class StoreBenchmark {

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 100_000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        mvStore(5_000); // warm-up of all code paths (JIT), not reported
        journaled(5_000);
        sqlite(5_000);
        System.out.println("--");
        for (int n : sizes) {
            mvStore(n);
            journaled(n);
            sqlite(n);
        }
    }

    static byte[] item(int i) {
        Map<String, Value> item = new LinkedHashMap<>();
        item.put("pk", Value.s("device#" + i));
        item.put("count", Value.n(i));
        item.put("note", Value.s("x".repeat(100)));
        return ItemCodec.encode(item);
    }

    /** MVStore committed after every write (what the engine did first). */
    static void mvStore(int n) throws Exception {
        Path dir = Files.createTempDirectory("mvbench");
        MVStore store = new MVStore.Builder().fileName(dir.resolve("bench.mv.db").toString()).autoCommitDisabled().open();
        store.setRetentionTime(0);
        try {
            MVMap<byte[], byte[]> map = store.openMap("items", new MVMap.Builder<byte[], byte[]>()
                    .keyType(BytesType.INSTANCE).valueType(BytesType.INSTANCE));
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                map.put(KeyCodec.encode(Value.s("device#" + i)), item(i));
                store.commit();
            }
            long t1 = System.nanoTime();
            long reads = reads(n, k -> map.get(k));
            long t2 = System.nanoTime();
            report("MVStore, commit per write", n, t1 - t0, reads, t2 - t1, Files.size(dir.resolve("bench.mv.db")));
        } finally {
            store.close();
        }
    }

    /** The engine's Store: a journal record per write, an MVStore checkpoint every 5,000. */
    static void journaled(int n) throws Exception {
        Path dir = Files.createTempDirectory("storebench");
        try (Store store = Store.open(dir)) {
            StoreMap<byte[], byte[]> map = store.bytesMap("items");
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.beginWrite();
                map.put(KeyCodec.encode(Value.s("device#" + i)), item(i));
                store.endWrite();
            }
            long t1 = System.nanoTime();
            long reads = reads(n, k -> map.get(k));
            long t2 = System.nanoTime();
            report("MVStore + journal (engine)", n, t1 - t0, reads, t2 - t1,
                    Files.size(dir.resolve(Store.FILE_NAME)) + Files.size(dir.resolve(Store.JOURNAL_NAME)));
        }
    }

    static long reads(int n, java.util.function.Function<byte[], byte[]> get) {
        Random r = new Random(1);
        int reads = Math.max(n, 100_000);
        for (int i = 0; i < reads; i++) {
            get.apply(KeyCodec.encode(Value.s("device#" + r.nextInt(n))));
        }
        return reads;
    }

    static void sqlite(int n) throws Exception {
        Path dir = Files.createTempDirectory("sqlitebench");
        Path file = dir.resolve("bench.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                // WAL + NORMAL: a commit survives a killed process (not a power cut), like MVStore without fsync
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("CREATE TABLE items (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
            }
            long t0 = System.nanoTime();
            try (PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO items (k, v) VALUES (?, ?)")) {
                for (int i = 0; i < n; i++) {
                    put.setBytes(1, KeyCodec.encode(Value.s("device#" + i)));
                    put.setBytes(2, item(i));
                    put.executeUpdate(); // autocommit: one transaction per write
                }
            }
            long t1 = System.nanoTime();
            Random r = new Random(1);
            int reads = Math.max(n, 100_000);
            try (PreparedStatement get = c.prepareStatement("SELECT v FROM items WHERE k = ?")) {
                for (int i = 0; i < reads; i++) {
                    get.setBytes(1, KeyCodec.encode(Value.s("device#" + r.nextInt(n))));
                    try (ResultSet rs = get.executeQuery()) {
                        rs.next();
                        rs.getBytes(1);
                    }
                }
            }
            long t2 = System.nanoTime();
            report("SQLite (WAL, synchronous=NORMAL)", n, t1 - t0, reads, t2 - t1, Files.size(file) + Files.size(dir.resolve("bench.db-wal")));
        }
    }

    static void report(String store, int items, long writeNanos, long reads, long readNanos, long bytes) {
        System.out.printf("%-34s %,9d items: %,9.0f durable writes/s, %,10.0f point reads/s, files %,d KB%n", store, items,
                items / (writeNanos / 1e9), reads / (readNanos / 1e9), bytes / 1024);
    }
}
