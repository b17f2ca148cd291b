package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The admin API as a {@link Simulator} uses it: signs in, registers its devices (several at a time) and issues
 * them new tokens, signing in again when the access token expires during a long run.
 */
final class AdminApiClient {

    private final Simulator.Options options;
    private final HttpClient http;
    private final String base;
    private final PrintStream out;
    private String accessToken;

    AdminApiClient(Simulator.Options options, HttpClient http, String base, PrintStream out) {
        this.options = options;
        this.http = http;
        this.base = base;
        this.out = out;
    }

    /** Signs in as the configured admin; the calls after it use the access token. */
    void signIn() {
        accessToken = login();
    }

    private String login() {
        if (options.password() == null || options.password().isBlank()) {
            throw new Simulator.SimulationException("no admin password: pass --password, set PISYNC_ADMIN_PASSWORD, or (locally) "
                    + "point --data-dir at the runner's data folder");
        }
        ObjectNode body = Simulator.JSON.createObjectNode().put("username", options.username()).put("password", options.password());
        HttpResponse<String> r = call("POST", "/v1/auth/login", body, null);
        if (r.statusCode() != 200) {
            throw new Simulator.SimulationException("sign-in as '" + options.username() + "' at " + base + " answered "
                    + r.statusCode() + ": " + abbreviate(r.body()));
        }
        return parse(r.body()).path("access_token").asText();
    }

    /** Registers the devices that have no token yet, with {@code concurrency} requests at a time. */
    void register(List<SimulatedDevice> fleet) {
        List<SimulatedDevice> missing = fleet.stream().filter(d -> d.token == null).toList();
        if (missing.isEmpty()) {
            return;
        }
        if (!options.quiet()) {
            out.printf(Locale.ROOT, "Registering %d device(s) at %s…%n", missing.size(), base);
        }
        LinkedBlockingQueue<SimulatedDevice> todo = new LinkedBlockingQueue<>(missing);
        List<Thread> workers = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < Math.min(options.concurrency(), missing.size()); w++) {
            Thread t = new Thread(() -> {
                SimulatedDevice d;
                while ((d = todo.poll()) != null && failures.isEmpty()) {
                    try {
                        d.token = registerOne(d);
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "simulator-register-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Simulator.SimulationException("interrupted while registering devices");
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private String registerOne(SimulatedDevice d) {
        boolean pibook = d.index % 5 != 0;
        ObjectNode body = Simulator.JSON.createObjectNode()
                .put("device_id", d.id)
                .put("name", (pibook ? "PiBook " : "PiBox ") + d.id.substring(options.prefix().length()))
                .put("type", pibook ? "PiBook" : "PiBox")
                .put("site", d.site);
        body.putArray("tags").add("simulated");
        HttpResponse<String> r = call("POST", "/v1/devices", body, accessToken);
        if (r.statusCode() == 201) {
            return parse(r.body()).path("device_token").asText();
        }
        if (r.statusCode() == 409) {
            return rotate(d.id); // registered earlier, token not kept here: issue a new one
        }
        throw new Simulator.SimulationException("registering " + d.id + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
    }

    /** A new token for the device; null when the API refuses one (e.g. a decommissioned device). */
    String rotate(String deviceId) {
        HttpResponse<String> r = call("POST", "/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                + "/token", null, accessToken);
        if (r.statusCode() == 401) {
            accessToken = login(); // the access token expired during a long run
            r = call("POST", "/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8) + "/token", null,
                    accessToken);
        }
        if (r.statusCode() != 200) {
            if (r.statusCode() >= 400 && r.statusCode() < 500) {
                return null; // e.g. decommissioned: this device stays silent
            }
            throw new Simulator.SimulationException("new token for " + deviceId + " answered " + r.statusCode() + ": "
                    + abbreviate(r.body()));
        }
        return parse(r.body()).path("device_token").asText();
    }

    /** A call made as the signed-in admin. */
    HttpResponse<String> callAsAdmin(String method, String path, JsonNode body) {
        return call(method, path, body, accessToken);
    }

    private HttpResponse<String> call(String method, String path, JsonNode body, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new Simulator.SimulationException("cannot reach " + base + " (" + e.getMessage() + "): is PiSync running?"
                        + " Start it with ./pisync local");
            } catch (IOException e) {
                if (attempt >= options.retries()) {
                    throw new Simulator.SimulationException(method + " " + path + " failed: " + e);
                }
                Simulator.backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Simulator.SimulationException("interrupted");
            }
        }
    }

    /** The JSON of an answer's body; an empty object when there is none or it is not JSON. */
    static JsonNode parse(String body) {
        try {
            return Simulator.JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return Simulator.JSON.createObjectNode();
        }
    }

    /** At most the first 300 characters of an answer's body, for error messages. */
    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
