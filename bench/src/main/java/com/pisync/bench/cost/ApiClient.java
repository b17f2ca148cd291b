package com.pisync.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A signed-in admin's HTTP calls to a running PiSync (the benchmarks' checks and probes). */
public final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public ApiClient(URI base, String username, String password) {
        this.base = base;
        JsonNode login = call("POST", "/v1/auth/login", JSON.createObjectNode().put("username", username)
                .put("password", password).toString(), null, 200);
        this.token = login.path("access_token").asText();
    }

    /** An admin call; fails unless it answers {@code expected}. */
    public JsonNode json(String method, String path, String body, int expected) {
        return call(method, path, body, "Bearer " + token, expected);
    }

    /** A call with a given Authorization header (a device's token). */
    public HttpResponse<String> send(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private JsonNode call(String method, String path, String body, String authorization, int expected) {
        HttpResponse<String> r = send(method, path, body, authorization);
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
