package com.pisync.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Amazon DynamoDB Local as an HTTP server (Jetty) inside this JVM, on a free port, reached at
 * {@code http://127.0.0.1:PORT}. Started with {@code -sharedDb} (one database whatever the region and
 * credentials) and {@code -disableTelemetry}. Note: DynamoDB Local has no bind-address option, so Jetty
 * listens on all interfaces of the chosen port.
 */
public final class LocalDynamoDb implements AutoCloseable {

    private static final int START_ATTEMPTS = 3;

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final DynamoDbClient client;
    private boolean closed;

    private LocalDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://" + Ports.LOOPBACK + ":" + port);
        this.client = LocalClients.dynamoDb(endpoint);
    }

    /** In-memory DynamoDB Local: data is gone on {@link #close()}. */
    public static LocalDynamoDb start() {
        return start0(null);
    }

    /** DynamoDB Local persisting its SQLite file in {@code dataDir} ({@code -dbPath}); the folder is created. */
    public static LocalDynamoDb start(Path dataDir) {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir must not be null (use start() for in-memory)");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create DynamoDB Local data folder " + dataDir, e);
        }
        return start0(dataDir.toAbsolutePath());
    }

    private static LocalDynamoDb start0(Path dataDir) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
            if (dataDir == null) {
                args.add("-inMemory");
            } else {
                args.add("-dbPath");
                args.add(dataDir.toString());
            }
            DynamoDBProxyServer server = null;
            try {
                server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
                server.start();
                return new LocalDynamoDb(server, port);
            } catch (Exception e) {
                // most likely the port was taken between picking it and binding it: try another one
                last = new IllegalStateException("DynamoDB Local did not start on 127.0.0.1:" + port + " with " + args, e);
                stopQuietly(server);
            }
        }
        throw last;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A client for this server, built once (see {@link LocalClients#dynamoDb(URI)}); closed by {@link #close()}. */
    public DynamoDbClient client() {
        return client;
    }

    /** Closes the client and stops the server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        stopQuietly(server);
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            // nothing sensible to do while shutting down a test server
        }
    }
}
