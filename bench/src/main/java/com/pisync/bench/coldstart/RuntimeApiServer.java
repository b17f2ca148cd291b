package com.pisync.bench.coldstart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's Runtime API on loopback, for one invocation: the first {@code GET .../invocation/next} gets the
 * event, the runtime's {@code POST .../response} (or {@code .../error}, or an init error) completes
 * {@link #outcome()}, and any later {@code next} waits until the server is closed, as a frozen sandbox would.
 *
 * <p>A raw socket on purpose: the runtime interface client's native HTTP client reads the {@code Lambda-Runtime-*}
 * headers case-sensitively, and the JDK's HttpServer rewrites their capitalisation (the client crashed on it).
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String API = "/2018-06-01/runtime";

    /** What the runtime answered, and when (System.nanoTime) the event was handed out and the answer arrived. */
    record Outcome(String kind, String body, long nextAtNanos, long answeredAtNanos) {
        boolean succeeded() {
            return "response".equals(kind);
        }
    }

    private final ServerSocket socket;
    private final byte[] event;
    private final String requestId = UUID.randomUUID().toString();
    private final String functionArn;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long nextAtNanos;
    private boolean handedOut;

    RuntimeApiServer(String event, String functionName) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.event = event.getBytes(StandardCharsets.UTF_8);
        this.functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
        Thread acceptor = new Thread(this::acceptLoop, "runtime-api-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(connection), "runtime-api-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket connection) {
        try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            while (true) {
                Request request = Request.read(in, out);
                if (request == null) {
                    return;
                }
                handle(request, out);
            }
        } catch (SocketException closedByPeer) {
            // the child was stopped
        } catch (IOException | RuntimeException e) {
            outcome.completeExceptionally(e);
        }
    }

    private void handle(Request request, OutputStream out) throws IOException {
        String path = request.path;
        if ("GET".equals(request.method) && path.equals(API + "/invocation/next")) {
            boolean first;
            synchronized (this) {
                first = !handedOut;
                handedOut = true;
            }
            if (!first) {
                awaitClose(); // one invocation per cold start: the next poll waits like a frozen sandbox
                return;
            }
            nextAtNanos = System.nanoTime();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("Lambda-Runtime-Aws-Request-Id", requestId);
            headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
            headers.put("Lambda-Runtime-Invoked-Function-Arn", functionArn);
            headers.put("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0");
            write(out, 200, "OK", headers, event);
            return;
        }
        String kind = null;
        if (path.equals(API + "/invocation/" + requestId + "/response")) {
            kind = "response";
        } else if (path.equals(API + "/invocation/" + requestId + "/error")) {
            kind = "error";
        } else if (path.equals(API + "/init/error")) {
            kind = "init-error";
        }
        if (kind == null || !"POST".equals(request.method)) {
            write(out, 404, "Not Found", Map.of("Content-Type", "application/json"),
                    "{\"errorMessage\":\"unknown path\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        long answeredAt = System.nanoTime();
        write(out, 202, "Accepted", Map.of("Content-Type", "application/json"),
                "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        outcome.complete(new Outcome(kind, new String(request.body, StandardCharsets.UTF_8), nextAtNanos, answeredAt));
    }

    private void awaitClose() {
        try {
            closed.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, int status, String reason, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
    }

    /** One HTTP/1.1 request: Content-Length or chunked bodies, {@code Expect: 100-continue} answered. */
    private record Request(String method, String path, byte[] body) {

        static Request read(InputStream in, OutputStream out) throws IOException {
            String requestLine = line(in);
            if (requestLine == null) {
                return null;
            }
            while (requestLine.isEmpty()) { // tolerate stray CRLF between requests
                requestLine = line(in);
                if (requestLine == null) {
                    return null;
                }
            }
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                while (true) {
                    String size = line(in);
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                            // trailers ignored
                        }
                        break;
                    }
                    all.write(in.readNBytes(n));
                    line(in);
                }
                body = all.toByteArray();
            } else {
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                body = in.readNBytes(length);
            }
            return new Request(parts[0], parts.length > 1 ? parts[1] : "", body);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int last = s.length() - 1;
                    return last >= 0 && s.charAt(last) == '\r' ? s.substring(0, last) : s.toString();
                }
                s.append((char) c);
            }
            return s.length() == 0 ? null : s.toString();
        }
    }
}
