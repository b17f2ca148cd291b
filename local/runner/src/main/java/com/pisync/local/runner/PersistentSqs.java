package com.pisync.local.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.Limits;
import org.elasticmq.NodeAddress;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.CreateQueueMetadata;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder$;
import org.elasticmq.util.NowProvider;
import scala.Option;

/**
 * ElasticMQ on 127.0.0.1 whose queues and messages survive the process, a crash included: ElasticMQ's own
 * SQL persistence (what {@code messages-storage { enabled = true }} turns on in the standalone server), an H2
 * database in {@code <dir>/elasticmq.mv.db}. ElasticMQ answers SendMessage(Batch) only after the persistence
 * actor stored the message, so a message the ingest function was told is queued (and so a 202) is on disk;
 * receives, visibility changes and deletes are written too, so after a restart a message comes back with
 * its receive count, and one that was in flight becomes visible when its visibility timeout ends.
 * {@code WRITE_DELAY=0} makes H2 write each commit to the file at once (the OS keeps it if the JVM is killed).
 */
final class PersistentSqs implements AutoCloseable {

    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

    /** Written while the server runs, so other commands ({@code ./pisync redrive}) can find it. */
    static final String ENDPOINT_FILE = "endpoint";

    private final ActorSystem system;
    private final SQSRestServer server;
    private final URI endpoint;
    private final Path endpointFile;
    private boolean closed;

    private PersistentSqs(ActorSystem system, SQSRestServer server, int port, Path dir) {
        this.system = system;
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.endpointFile = dir.resolve(ENDPOINT_FILE);
        try {
            Files.writeString(endpointFile, endpoint + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + endpointFile, e);
        }
    }

    /** The endpoint of the server running on {@code dir}, as it wrote it (null when none is written). */
    static URI endpointOf(Path dir) {
        try {
            Path file = dir.resolve(ENDPOINT_FILE);
            return Files.exists(file) ? URI.create(Files.readString(file).trim()) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static PersistentSqs start(Path dir) {
        quietLogging();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir, e);
        }
        String uri = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0";
        SqlQueuePersistenceConfig persistence = new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "sa", "", false);
        // The runner stops ElasticMQ itself (close()), in order, from its own shutdown hook.
        com.typesafe.config.Config config = com.typesafe.config.ConfigFactory
                .parseString("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                        + "pekko.jvm-shutdown-hooks = off\npekko.loglevel = WARNING")
                .withFallback(com.typesafe.config.ConfigFactory.load());
        ActorSystem system = ActorSystem.create("pisync-elasticmq", config);
        try {
            var builder = SQSRestServerBuilder$.MODULE$;
            Limits limits = builder.sqsLimits();
            scala.collection.immutable.List<CreateQueueMetadata> noBaseQueues = scala.collection.immutable.List$.MODULE$.empty();
            ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class, persistence, noBaseQueues),
                    "queue-persistence");
            ActorRef queues = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(), limits,
                    Option.apply(store)), "queue-manager");
            // Queues and messages back first, then the port opens: nobody sees a half-restored server.
            Object restored = Patterns.ask(store, new QueueEvent.Restore(queues), RESTORE_TIMEOUT).toCompletableFuture()
                    .get(RESTORE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (restored instanceof scala.util.Either<?, ?> either && either.isLeft()) {
                throw new IllegalStateException("ElasticMQ could not restore its queues from " + dir + ": " + restored);
            }
            RuntimeException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                try {
                    SQSRestServer server = builder.withActorSystem(system).withQueueManagerActor(queues)
                            .withQueueEventListener(store)
                            .withInterface("127.0.0.1").withPort(port)
                            .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                            .withAWSRegion("us-east-1").withAWSAccountId("000000000000")
                            .start();
                    server.waitUntilStarted();
                    return new PersistentSqs(system, server, port, dir);
                } catch (RuntimeException e) {
                    last = e; // port taken between picking and binding
                }
            }
            throw new IllegalStateException("ElasticMQ did not start on 127.0.0.1", last);
        } catch (Exception e) {
            system.terminate();
            closeDatabase();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("ElasticMQ did not start with messages in " + dir, e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** Stops the server and its actors and closes the database (everything is already on disk). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(endpointFile);
        } catch (IOException e) {
            // a stale file only makes ./pisync redrive try a dead port first
        }
        try {
            server.stopAndWait();
        } catch (RuntimeException e) {
            // shutting down anyway
        }
        try {
            scala.concurrent.Await.result(system.terminate(), scala.concurrent.duration.Duration.apply(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            // shutting down anyway
        }
        closeDatabase();
    }

    /** The persistence keeps its connections in scalikejdbc's global pool; closing it releases the H2 file. */
    private static void closeDatabase() {
        try {
            scalikejdbc.ConnectionPool$.MODULE$.closeAll();
        } catch (RuntimeException | LinkageError e) {
            // nothing was opened
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void quietLogging() {
        for (String logger : new String[] {"org.elasticmq", "org.apache.pekko", "scalikejdbc", "org.h2"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
