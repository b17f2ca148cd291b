package com.pisync.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.operation.ExpressionParser;
import com.pisync.dynamodb.operation.RequestExpressionParser;
import com.pisync.dynamodb.storage.Store;
import com.pisync.dynamodb.table.Catalog;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The engine without HTTP: a store, its tables, and the operations. One writer at a time (each write
 * operation commits before it answers, so an acknowledged write survives a killed process); reads run
 * together but never see a write half done.
 */
public final class Engine implements AutoCloseable {

    private final EngineOptions options;
    private final Store store;
    private volatile Catalog catalog;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Operation> dynamoDb = Operations.dynamoDb();
    private final Map<String, Operation> streams = Operations.streams();
    private final Idempotency idempotency = new Idempotency();
    private final ExpressionParser expressions = new RequestExpressionParser();
    private long sequence;

    private Engine(EngineOptions options, Store store) {
        this.options = options;
        this.store = store;
        this.catalog = new Catalog(store);
        String seq = store.meta().get("sequence");
        this.sequence = seq == null ? 0 : Long.parseLong(seq);
    }

    public static Engine open(EngineOptions options) {
        Store store = options.dataDir() == null ? Store.inMemory() : Store.open(options.dataDir());
        return new Engine(options, store);
    }

    /** Runs a DynamoDB action ({@code PutItem}, ...) or throws its DynamoException. */
    public ObjectNode execute(String action, JsonNode request) {
        Operation op = dynamoDb.get(action);
        if (op == null) {
            throw new DynamoException("UnknownOperationException", null);
        }
        return op.apply(this, request);
    }

    /** Runs a DynamoDB Streams action ({@code GetRecords}, ...). */
    public ObjectNode executeStreams(String action, JsonNode request) {
        Operation op = streams.get(action);
        if (op == null) {
            throw new DynamoException("UnknownOperationException", null);
        }
        return op.apply(this, request);
    }

    public boolean hasAction(String action) {
        return dynamoDb.containsKey(action);
    }

    public boolean hasStreamsAction(String action) {
        return streams.containsKey(action);
    }

    public Clock clock() {
        return options.clock();
    }

    public long nowMillis() {
        return options.clock().millis();
    }

    public EngineOptions options() {
        return options;
    }

    public Catalog catalog() {
        return catalog;
    }

    public ExpressionParser expressions() {
        return expressions;
    }

    public Idempotency idempotency() {
        return idempotency;
    }

    /** The last stream sequence number handed out. */
    public long currentSequence() {
        return sequence;
    }

    /** The next stream sequence number (under the writer lock); persisted with the commit. */
    public long nextSequence() {
        sequence++;
        store.meta().put("sequence", Long.toString(sequence));
        return sequence;
    }

    /**
     * Runs {@code work} as the only writer; its changes are durable (journaled) before this returns. If it
     * fails, its changes are undone.
     */
    public <T> T write(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            store.beginWrite();
            T result;
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                // Operations check before they change anything (a failed condition changes nothing), so an
                // undo is rare; the tables' in-memory counters are then reloaded from the undone maps.
                if (store.abortWrite()) {
                    reload();
                }
                throw e;
            }
            store.endWrite();
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs a change of tables themselves (create, delete, indexes, streams, TTL) as the only writer,
     * between two store checkpoints, so that a failure can return the store to the first one.
     */
    public <T> T writeStructural(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            store.checkpoint();
            T result;
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                store.rollback();
                reload();
                throw e;
            }
            store.checkpoint();
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void reload() {
        catalog = new Catalog(store);
        String seq = store.meta().get("sequence");
        sequence = seq == null ? 0 : Long.parseLong(seq);
    }

    /** Runs {@code work} while no writer is between its first change and its commit. */
    public <T> T read(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes expired items now (TTL), on the engine clock; returns how many. */
    public int sweepExpiredItems() {
        return com.pisync.dynamodb.ttl.TtlSweeper.sweep(this);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            store.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
