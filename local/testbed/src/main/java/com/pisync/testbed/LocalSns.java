package com.pisync.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * fauxqs (npm, pinned in {@code local/testbed/node/package-lock.json}) as a child {@code node} process on a
 * free port: an SNS + SQS emulator. SNS delivers only into fauxqs's own SQS queues, which is why this class
 * also offers {@link #sqsClient()} and {@link #subscribeQueue(String, String)}.
 *
 * <p>Runs {@code node --import node/exit-with-parent.mjs node_modules/fauxqs/dist/cli.js} (the package's
 * {@code bin}) with {@code FAUXQS_PORT}; output goes to {@code local/testbed/target/testbed-logs/fauxqs-PORT.log}.
 * fauxqs listens on 0.0.0.0 whatever it is told; its endpoint here is {@code http://127.0.0.1:PORT}.
 * The node binary is {@code node} on the PATH unless system property {@code pisync.testbed.node} or
 * environment variable {@code PISYNC_NODE} names another one (Node 20 or newer).
 */
public final class LocalSns implements AutoCloseable {

    /** The package's bin entry ({@code "bin": {"fauxqs": "dist/cli.js"}} in fauxqs 1.9.2). */
    static final String FAUXQS_ENTRY = "node_modules/fauxqs/dist/cli.js";
    static final String WATCHDOG = "exit-with-parent.mjs";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Thread shutdownHook;
    private final Path logFile;
    private final URI endpoint;
    private final SnsClient client;
    private final SqsClient sqsClient;
    private boolean closed;

    private LocalSns(Process process, Thread shutdownHook, Path logFile, int port) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.logFile = logFile;
        this.endpoint = URI.create("http://" + Ports.LOOPBACK + ":" + port);
        this.client = LocalClients.sns(endpoint);
        this.sqsClient = LocalClients.sqs(endpoint);
    }

    public static LocalSns start() {
        Path nodeDir = TestbedPaths.nodeDir();
        Path entry = nodeDir.resolve(FAUXQS_ENTRY);
        if (!Files.isRegularFile(entry)) {
            throw new IllegalStateException("fauxqs is not installed: " + entry + " is missing. Run `mvn -pl local/testbed"
                    + " generate-resources` from the repository root (or `npm ci` in " + nodeDir + ").");
        }
        Path logDir = TestbedPaths.logDir();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create log folder " + logDir, e);
        }
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            Path logFile = logDir.resolve("fauxqs-" + port + ".log");
            try {
                return launch(nodeDir, entry, port, logFile);
            } catch (NodeProcesses.PortLostException e) {
                last = e; // port taken between picking and binding: try another one
            }
        }
        throw last;
    }

    private static LocalSns launch(Path nodeDir, Path entry, int port, Path logFile) {
        String node = NodeProcesses.nodeBinary();
        ProcessBuilder builder = new ProcessBuilder(node, "--import", "./" + WATCHDOG, entry.toString())
                .directory(nodeDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        Map<String, String> env = builder.environment();
        env.put("FAUXQS_PORT", Integer.toString(port));
        env.put("FAUXQS_DEFAULT_REGION", LocalClients.REGION.id());
        env.remove("FAUXQS_HOST"); // would change queue URLs to sqs.REGION.HOST:PORT
        env.remove("FAUXQS_INIT");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run `" + node + "` to start fauxqs: install Node.js 20+ and put `node` on"
                    + " the PATH, or set system property pisync.testbed.node / env PISYNC_NODE to its path", e);
        }
        Thread hook = new Thread(() -> NodeProcesses.kill(process), "fauxqs-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                NodeProcesses.removeHook(hook);
                String log = NodeProcesses.tail(logFile);
                if (log.contains("EADDRINUSE")) {
                    throw new NodeProcesses.PortLostException("fauxqs could not bind port " + port + ":\n" + log);
                }
                throw new IllegalStateException("fauxqs exited with code " + process.exitValue() + " before listening on port "
                        + port + ". Check Node.js 20+ is on the PATH and `npm ci` works in " + TestbedPaths.nodeDir()
                        + ". Log " + logFile + ":\n" + log);
            }
            if (Ports.accepts(port)) {
                return new LocalSns(process, hook, logFile, port);
            }
            if (System.nanoTime() > deadline) {
                NodeProcesses.kill(process);
                NodeProcesses.removeHook(hook);
                throw new IllegalStateException("fauxqs did not accept connections on 127.0.0.1:" + port + " within "
                        + START_TIMEOUT.toSeconds() + " s. See its log " + logFile + ", and try it by hand: cd "
                        + TestbedPaths.nodeDir() + " && FAUXQS_PORT=" + port + " node " + FAUXQS_ENTRY + "\n" + NodeProcesses.tail(logFile));
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                NodeProcesses.kill(process);
                NodeProcesses.removeHook(hook);
                throw new IllegalStateException("interrupted while waiting for fauxqs", e);
            }
        }
    }

    /** {@code http://127.0.0.1:PORT}: SNS and SQS APIs on the same port. */
    public URI endpoint() {
        return endpoint;
    }

    /** SNS client for this emulator, built once; closed by {@link #close()}. */
    public SnsClient client() {
        return client;
    }

    /** fauxqs's own SQS API (same endpoint), to read what SNS delivered; built once; closed by {@link #close()}. */
    public SqsClient sqsClient() {
        return sqsClient;
    }

    /** The file the child's stdout and stderr go to. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Creates a fauxqs queue subscribed to the topic (envelope delivery, NOT raw, so MessageAttributes are
     * visible in the SNS JSON envelope) and returns its queue URL.
     */
    public String subscribeQueue(String topicArn, String queueName) {
        String queueUrl = sqsClient.createQueue(b -> b.queueName(queueName)).queueUrl();
        String queueArn = sqsClient.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        client.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "false")));
        return queueUrl;
    }

    /** Closes the clients and ends the node process (and any children). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        sqsClient.close();
        NodeProcesses.kill(process);
        NodeProcesses.removeHook(shutdownHook);
    }
}
