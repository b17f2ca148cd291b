package com.pisync.local.runner;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.local.LocalPiSync;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runner's HTTP server on 127.0.0.1: {@code /v1/...} and {@code /health} go through
 * {@link LocalPiSync#serve} (API Gateway's routing, JWT authorizer and v2 event shapes, the real handlers);
 * every other GET serves the dashboard's static files, with a strict Content-Security-Policy.
 */
final class ApiServer implements AutoCloseable {

    /** API Gateway HTTP APIs refuse larger payloads themselves (the ingest function's own limit is 512 KiB). */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("woff2", "font/woff2"), Map.entry("map", "application/json"));

    private static final String PLACEHOLDER = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>PiSync</title></head>
            <body><h1>PiSync is running</h1>
            <p>The dashboard's files were not found (expected in <code>%s</code>). The API is at <a href="/health">/v1</a>.</p>
            </body></html>
            """;

    private final HttpServer server;
    private final ExecutorService executor;
    private final LocalPiSync stack;
    private final Path dashboardDir;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();

    private final LocalRunner.Hooks hooks;

    ApiServer(LocalPiSync stack, String host, int port, Path dashboardDir, int threads) throws IOException {
        this(stack, host, port, dashboardDir, threads, LocalRunner.Hooks.NONE);
    }

    ApiServer(LocalPiSync stack, String host, int port, Path dashboardDir, int threads, LocalRunner.Hooks hooks)
            throws IOException {
        this.stack = stack;
        this.hooks = hooks;
        this.dashboardDir = dashboardDir == null ? null : dashboardDir.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pisync-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    ApiServer start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/health") || path.equals("/v1") || path.startsWith("/v1/")) {
                api(exchange);
            } else {
                staticFile(exchange, path);
            }
        } catch (RuntimeException e) {
            serverErrors.incrementAndGet();
            System.err.println("HTTP " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
            try {
                send(exchange, 500, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // response already started
            }
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            send(exchange, 413, Map.of("Content-Type", "application/json"),
                    "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            headers.put(h.getKey().toLowerCase(Locale.ROOT), String.join(",", h.getValue())); // as API Gateway joins them
        }
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String pathAndQuery = exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
        APIGatewayV2HTTPResponse response;
        try {
            String method = exchange.getRequestMethod();
            String text = body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
            response = hooks.invoke(function(method, exchange.getRequestURI().getRawPath()),
                    () -> stack.serve(method, pathAndQuery, text, headers));
        } catch (RuntimeException e) {
            // What API Gateway answers when the integration fails.
            serverErrors.incrementAndGet();
            System.err.println("function failed on " + exchange.getRequestMethod() + " " + pathAndQuery + ": " + e);
            send(exchange, 500, Map.of("Content-Type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (response.getStatusCode() >= 500) {
            serverErrors.incrementAndGet();
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            out.putAll(response.getHeaders());
        }
        Headers responseHeaders = exchange.getResponseHeaders();
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, values) -> values.forEach(v -> responseHeaders.add(k, v)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> responseHeaders.add("Set-Cookie", c));
        }
        String text = response.getBody();
        byte[] bytes = text == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        if (!out.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Content-Type")) && bytes.length > 0) {
            out.put("Content-Type", "application/json"); // API Gateway's default for a payload v2 response
        }
        send(exchange, response.getStatusCode(), out, bytes);
    }

    /** The function behind a route, as the CDK app wires them (ingest, auth, query for GETs, admin). */
    static String function(String method, String path) {
        if (path.equals("/health") || path.equals("/v1/sync-events") && method.equals("POST")) {
            return "ingest";
        }
        if (path.startsWith("/v1/auth/") || path.equals("/v1/users") || path.startsWith("/v1/users/")) {
            return "auth";
        }
        return method.equals("GET") ? "query" : "admin";
    }

    private void staticFile(HttpExchange exchange, String rawPath) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Map<String, String> h = securityHeaders("text/plain; charset=utf-8");
            h.put("Allow", "GET, HEAD");
            send(exchange, 405, h, "Method Not Allowed\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (dashboardDir == null || !Files.isDirectory(dashboardDir)) {
            if (rawPath.equals("/") || rawPath.equals("/index.html")) {
                send(exchange, 200, securityHeaders("text/html; charset=utf-8"), PLACEHOLDER.formatted(
                        dashboardDir == null ? "dashboard/" : dashboardDir).getBytes(StandardCharsets.UTF_8));
            } else {
                notFound(exchange);
            }
            return;
        }
        String decoded = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        Path file = dashboardDir.resolve(decoded.substring(1)).normalize();
        if (!file.startsWith(dashboardDir) || decoded.contains("\0")
                || dashboardDir.relativize(file).toString().startsWith(".")) {
            notFound(exchange);
            return;
        }
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (!Files.isRegularFile(file)) {
            notFound(exchange);
            return;
        }
        String name = file.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        Map<String, String> headers = securityHeaders(CONTENT_TYPES.getOrDefault(ext, "application/octet-stream"));
        byte[] bytes = Files.readAllBytes(file);
        if (method.equals("HEAD")) {
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        send(exchange, 200, headers, bytes);
    }

    private void notFound(HttpExchange exchange) throws IOException {
        send(exchange, 404, securityHeaders("text/plain; charset=utf-8"), "Not Found\n".getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> securityHeaders(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put("Cache-Control", "no-cache");
        return h;
    }

    /** The body, or null when it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_PAYLOAD_BYTES) {
                return null;
            }
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean noBody = status == 204 || status == 304 || body.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops accepting, lets running exchanges finish (up to 2 s). */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
