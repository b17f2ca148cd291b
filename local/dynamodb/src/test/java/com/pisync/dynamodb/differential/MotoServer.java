package com.pisync.dynamodb.differential;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's standalone server ({@code moto_server}, a Python tool) run as a child process on a free loopback port:
 * the reference the engine is compared with. Always stopped by {@link #close()}.
 */
final class MotoServer implements AutoCloseable {

    /** System property naming the moto_server executable when it is neither on PATH nor under pyenv. */
    static final String EXECUTABLE_PROPERTY = "differential.moto";

    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final URI endpoint;
    private final Path log;
    /** Stops moto if the JVM exits without closing it (a killed test run must not leave servers behind). */
    private final Thread stopOnExit;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        this.stopOnExit = new Thread(process::destroyForcibly, "stop-moto");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Where moto_server is installed, if anywhere this machine keeps Python tools. */
    static Optional<Path> locate() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty(EXECUTABLE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "moto_server"));
                }
            }
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts moto and waits until it answers a DynamoDB request; fails if it does not within a minute. */
    static MotoServer start(Path executable) throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("moto-" + port + "-", ".log");
        Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            server.awaitReady();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    URI endpoint() {
        return endpoint;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("moto_server exited with " + process.exitValue() + ": " + logTail());
            }
            if (answersListTables()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("moto_server did not answer on " + endpoint + " within " + STARTUP + ": " + logTail());
    }

    private boolean answersListTables() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2_000);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("X-Amz-Target", "DynamoDB_20120810.ListTables");
            connection.setRequestProperty("Content-Type", "application/x-amz-json-1.0");
            // moto reads the region from the signature's credential scope.
            connection.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=x/20200101/us-east-1/dynamodb/"
                    + "aws4_request, SignedHeaders=host, Signature=x");
            connection.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
            int status = connection.getResponseCode();
            connection.disconnect();
            return status == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // The JVM is already shutting down; the hook stops moto.
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // A leftover temp log is harmless.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
