package com.pisync.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The PiSync API over HTTP, as the seeding admin and as a simulated device see it. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Api(String baseUrl) {
        this.base = baseUrl.replaceAll("/+$", "");
    }

    record Answer(int status, JsonNode body) {
    }

    Answer call(String method, String path, Object body, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json");
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), json);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode expect(int status, String method, String path, Object body, String bearer) {
        Answer a = call(method, path, body, bearer);
        if (a.status() != status) {
            throw new AssertionError(method + " " + path + " answered " + a.status() + " (expected " + status + "): " + a.body());
        }
        return a.body();
    }

    boolean healthy() {
        try {
            return call("GET", "/health", null, null).status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
