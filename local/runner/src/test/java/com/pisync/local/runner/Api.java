package com.pisync.local.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small admin client of a running PiSync, over HTTP as the dashboard talks to it. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String token;

    Api(URI base, String username, String password) throws Exception {
        this.base = base;
        HttpResponse<String> r = send("POST", "/v1/auth/login",
                JSON.createObjectNode().put("username", username).put("password", password).toString(), null);
        assertEquals(200, r.statusCode(), r.body());
        this.token = JSON.readTree(r.body()).path("access_token").asText();
    }

    HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> r = send(method, path, body, token);
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    JsonNode get(String path) throws Exception {
        return json("GET", path, null, 200);
    }

    /** Every event id of the device's history, newest first, through all pages (duplicates would show twice). */
    List<String> history(String deviceId) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/v1/devices/" + deviceId + "/sync-events?limit=100"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)));
            page.path("items").forEach(e -> ids.add(e.path("event_id").asText()));
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return ids;
    }
}
