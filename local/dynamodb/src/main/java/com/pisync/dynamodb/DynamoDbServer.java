package com.pisync.dynamodb;

import com.pisync.dynamodb.protocol.HttpEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * PiSync's local DynamoDB: the engine behind an HTTP endpoint on 127.0.0.1, with a TTL sweeper on the
 * engine clock. {@code close()} leaves durable data in the data folder.
 */
public final class DynamoDbServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DynamoDbServer.class.getName());

    private final Engine engine;
    private final HttpEndpoint http;
    private final ScheduledExecutorService sweeper;
    private boolean closed;

    private DynamoDbServer(Engine engine, HttpEndpoint http, ScheduledExecutorService sweeper) {
        this.engine = engine;
        this.http = http;
        this.sweeper = sweeper;
    }

    public static DynamoDbServer start(EngineOptions options) {
        Engine engine = Engine.open(options);
        HttpEndpoint http;
        try {
            http = HttpEndpoint.start(engine, options.port());
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        ScheduledExecutorService sweeper = null;
        Duration interval = options.ttlSweepInterval();
        if (interval != null && !interval.isZero() && !interval.isNegative()) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dynamodb-ttl");
                t.setDaemon(true);
                return t;
            });
            long millis = interval.toMillis();
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    engine.sweepExpiredItems();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "TTL sweep failed", e);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
        return new DynamoDbServer(engine, http, sweeper);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return http.endpoint();
    }

    /** The engine itself, for in-process use without HTTP. */
    public Engine engine() {
        return engine;
    }

    /** Deletes expired items now, on the engine clock. */
    public void sweepExpiredItems() {
        engine.sweepExpiredItems();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweeper != null) {
            sweeper.shutdownNow();
            try {
                sweeper.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
        engine.close();
    }

    private static final String USAGE = "usage: ./pisync dynamodb [--port N (default 8000, 0 = any free)]"
            + " [--data-dir DIR (default: in memory)]";

    public static void main(String[] args) {
        int port = 8000;
        Path dataDir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port":
                        port = Integer.parseInt(value(args, ++i));
                        if (port < 0 || port > 65535) {
                            throw new IllegalArgumentException("port out of range: " + port);
                        }
                        break;
                    case "--data-dir":
                        dataDir = Path.of(value(args, ++i));
                        break;
                    case "--help":
                    case "-h":
                        System.out.println(USAGE);
                        return;
                    default:
                        throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        DynamoDbServer server;
        try {
            server = start(new EngineOptions(port, dataDir, null, EngineOptions.DEFAULT_TTL_SWEEP));
        } catch (RuntimeException e) { // a foreign or locked data folder, a port in use: say what, not where
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dynamodb-shutdown"));
        System.out.println(server.endpoint());
        System.out.flush();
        try {
            new java.util.concurrent.CountDownLatch(1).await(); // serve until the process is stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value for " + args[i - 1]);
        }
        return args[i];
    }
}
