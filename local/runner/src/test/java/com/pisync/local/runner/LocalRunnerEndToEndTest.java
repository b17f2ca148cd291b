package com.pisync.local.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner in this JVM on a free port with a fresh data folder, the simulator against it over HTTP, and what
 * is stored checked through the API: every accepted event stored once, per-device totals, fleet stats, a sync
 * request answered by a simulated device, the dashboard's files with their security headers.
 */
class LocalRunnerEndToEndTest {

    static final String PASSWORD = "E2e-test-Passw0rd!";

    @TempDir
    static Path data;
    @TempDir
    static Path dashboard;
    static LocalRunner runner;
    static final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dashboard.resolve("index.html"), "<!doctype html><title>PiSync test dashboard</title>");
        Files.writeString(dashboard.resolve("app.js"), "console.log('ok');");
        RunnerOptions options = RunnerOptions.parse(List.of("--port", "0", "--data-dir", data.toString(),
                "--dashboard-dir", dashboard.toString(), "--visibility-timeout", "5s", "--quiet"));
        runner = LocalRunner.start(options, Map.of("PISYNC_ADMIN_PASSWORD", PASSWORD), new PrintStream(output, true));
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    private Simulator.Options simulation(int devices, int events, int batch) {
        return Simulator.Options.defaults().withUrl(runner.url())
                .withFleet(devices, events, batch)
                .withBehaviour(0.2, true, true, false)
                .withPace(0, 8)
                .withLogin("admin", PASSWORD)
                .withFiles(data.resolve("simulator-devices.json"), "sim-")
                .withOutput(false, true, 3);
    }

    @Test
    void simulatedFleetIsStoredExactlyAsAccepted() throws Exception {
        Simulator.Summary first = new Simulator(simulation(20, 5, 2)).run();
        assertEquals(100, first.sent(), first.describe());
        assertEquals(first.sent(), first.accepted(), first.describe());
        assertEquals(0, first.errors(), first.describe());
        assertEquals(0, first.rejected(), first.describe());
        assertTrue(first.p50() > 0 && first.p99() >= first.p95() && first.p95() >= first.p50(), first.describe());
        assertEquals(Set.of("rw-------"), Set.of(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("simulator-devices.json")))), "tokens file is private");

        // A sync request for a device; the next run reuses the kept tokens and the device answers it.
        Api api = new Api(runner.url(), "admin", PASSWORD);
        String requestId = api.json("POST", "/v1/devices/sim-0003/sync-requests", null, 202).path("request_id").asText();
        Simulator.Summary second = new Simulator(simulation(20, 2, 1)).run();
        assertEquals(0, second.errors(), second.describe());
        runner.awaitIdle(Duration.ofSeconds(60));
        Simulator.Summary third = new Simulator(simulation(20, 1, 1)).run(); // in case the request came after sim-0003's last upload
        assertEquals(0, third.errors(), third.describe());
        runner.awaitIdle(Duration.ofSeconds(60));

        long total = 0;
        for (int i = 1; i <= 20; i++) {
            String id = String.format("sim-%04d", i);
            Set<String> accepted = new HashSet<>();
            for (Simulator.Summary s : List.of(first, second, third)) {
                accepted.addAll(s.acceptedByDevice().getOrDefault(id, Set.of()));
            }
            List<String> stored = api.history(id);
            assertEquals(accepted, new HashSet<>(stored), id + ": stored events = accepted events");
            assertEquals(stored.size(), new HashSet<>(stored).size(), id + ": each event stored once");
            JsonNode device = api.get("/v1/devices/" + id);
            assertEquals(accepted.size(), device.path("total_syncs").asInt(), id + " total_syncs");
            total += accepted.size();
        }
        assertTrue(second.commandsAnswered() + third.commandsAnswered() >= 1, "the sync request was answered");
        JsonNode request = api.get("/v1/devices/sim-0003/sync-requests").path("items").get(0);
        assertEquals(requestId, request.path("request_id").asText());
        assertTrue(Set.of("completed", "failed").contains(request.path("status").asText()), request.toString());

        JsonNode fleet = api.get("/v1/stats/fleet");
        assertEquals(20, fleet.path("devices").path("total").asInt(), fleet.toString());
        assertEquals(total, fleet.path("last_24h").path("syncs").asLong(), fleet.toString());
    }

    @Test
    void apiGatewayBehaviourAndStaticFiles() throws Exception {
        Api anonymous = new Api(runner.url(), "admin", PASSWORD);
        HttpResponse<String> health = anonymous.send("GET", "/health", null, null);
        assertEquals(200, health.statusCode());
        assertEquals(401, anonymous.send("GET", "/v1/devices", null, null).statusCode(), "JWT authorizer");
        assertEquals(401, anonymous.send("POST", "/v1/sync-events", "{}", "not-a-device-token").statusCode());
        assertEquals(404, anonymous.send("GET", "/v1/no-such-route", null, null).statusCode());

        String big = "{\"device_id\":\"x\",\"pad\":\"" + "x".repeat(600 * 1024) + "\"}";
        assertEquals(413, anonymous.send("POST", "/v1/sync-events", big, "any").statusCode(), "ingest's 512 KiB limit");

        HttpResponse<String> index = anonymous.send("GET", "/", null, null);
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("PiSync test dashboard"));
        assertEquals(ApiServer.CSP, index.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-referrer", index.headers().firstValue("Referrer-Policy").orElseThrow());
        assertTrue(index.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(anonymous.send("GET", "/app.js", null, null).headers().firstValue("Content-Type").orElseThrow()
                .startsWith("text/javascript"));
        assertEquals(404, anonymous.send("GET", "/%2e%2e/%2e%2e/pom.xml", null, null).statusCode(), "no way out of the folder");
        assertEquals(405, anonymous.send("POST", "/index.html", "x", null).statusCode());
    }
}
