package com.pisync.testbed;

import com.pisync.dynamodb.DynamoDbServer;
import com.pisync.dynamodb.EngineOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * PiSync's own DynamoDB engine ({@code local/dynamodb}) as an HTTP server inside this JVM, on a free loopback
 * port, reached at {@code http://127.0.0.1:PORT}. One database whatever the region and credentials. Its TTL
 * sweeper runs on the clock it is given, so a test on a simulated clock never loses items to the real date.
 */
public final class LocalDynamoDb implements AutoCloseable {

    private final DynamoDbServer server;
    private final DynamoDbClient client;
    private boolean closed;

    private LocalDynamoDb(DynamoDbServer server) {
        this.server = server;
        this.client = LocalClients.dynamoDb(server.endpoint());
    }

    /** In memory: data is gone on {@link #close()}; TTL on the real clock. */
    public static LocalDynamoDb start() {
        return new LocalDynamoDb(DynamoDbServer.start(EngineOptions.inMemory()));
    }

    /** In memory, TTL deletions decided by {@code clock} (a test's simulated clock). */
    public static LocalDynamoDb start(Clock clock) {
        return new LocalDynamoDb(DynamoDbServer.start(EngineOptions.inMemory().withClock(clock)));
    }

    /**
     * Durable in {@code dataDir} (created when missing): every acknowledged write survives a crash of this
     * process. A folder written by something else (such as the Amazon DynamoDB Local of older PiSync versions)
     * is refused with a message saying how to start fresh.
     */
    public static LocalDynamoDb start(Path dataDir) {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir must not be null (use start() for in-memory)");
        }
        return new LocalDynamoDb(DynamoDbServer.start(EngineOptions.persistent(dataDir.toAbsolutePath())));
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** A client for this server, built once (see {@link LocalClients#dynamoDb(URI)}); closed by {@link #close()}. */
    public DynamoDbClient client() {
        return client;
    }

    /** Deletes expired items now (TTL), on the engine's clock, with the stream records DynamoDB writes for them. */
    public void sweepExpiredItems() {
        server.sweepExpiredItems();
    }

    /** Closes the client and stops the server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        server.close();
    }
}
