package com.pisync.testbed;

import java.net.URI;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ (an SQS-compatible server) inside this JVM on a free 127.0.0.1 port. Queue URLs look like
 * {@code http://127.0.0.1:PORT/000000000000/NAME}; queue ARNs like
 * {@code arn:aws:sqs:us-east-1:000000000000:NAME} (read them with GetQueueAttributes anyway).
 */
public final class LocalSqs implements AutoCloseable {

    private static final int START_ATTEMPTS = 3;

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;
    private boolean closed;

    private LocalSqs(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://" + Ports.LOOPBACK + ":" + port);
        this.client = LocalClients.sqs(endpoint);
    }

    public static LocalSqs start() {
        quietLogging();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            SQSRestServer server = null;
            try {
                server = SQSRestServerBuilder
                        .withInterface(Ports.LOOPBACK)
                        .withPort(port)
                        .withServerAddress(new NodeAddress("http", Ports.LOOPBACK, port, ""))
                        .withAWSRegion(LocalClients.REGION.id())
                        .withAWSAccountId("000000000000")
                        .start();
                server.waitUntilStarted();
                return new LocalSqs(server, port);
            } catch (RuntimeException e) {
                // most likely the port was taken between picking it and binding it: try another one
                last = new IllegalStateException("ElasticMQ did not start on 127.0.0.1:" + port, e);
                stopQuietly(server);
            }
        }
        throw last;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A client for this server, built once (see {@link LocalClients#sqs(URI)}); closed by {@link #close()}. */
    public SqsClient client() {
        return client;
    }

    /** Closes the client and stops ElasticMQ (and its actor system). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        stopQuietly(server);
    }

    private static void stopQuietly(SQSRestServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stopAndWait();
        } catch (RuntimeException e) {
            // nothing sensible to do while shutting down a test server
        }
    }

    /**
     * ElasticMQ logs through SLF4J (Pekko at DEBUG through its Slf4jLogger). Without an SLF4J provider
     * nothing is printed; with slf4j-simple, default these loggers to WARN unless the caller chose a level.
     */
    private static void quietLogging() {
        for (String logger : new String[] {"org.elasticmq", "org.apache.pekko"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
