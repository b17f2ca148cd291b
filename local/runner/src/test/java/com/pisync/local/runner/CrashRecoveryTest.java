package com.pisync.local.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pisync local} killed with SIGKILL while a simulated fleet uploads, then started again on the same
 * data folder: every device is still there and every event that was answered 202 before the crash is stored,
 * exactly once (the queue's messages were on disk; the processor's delivery is idempotent). Ends with a
 * SIGTERM that must stop the runner cleanly.
 */
class CrashRecoveryTest {

    static final String PASSWORD = "Crash-test-Passw0rd!";

    @TempDir
    Path data;

    @Test
    void acceptedEventsSurviveAKill() throws Exception {
        Process first = startRunner(1);
        URI url = URI.create("http://127.0.0.1:" + port(first));
        Simulator sim = new Simulator(Simulator.Options.defaults().withUrl(url)
                .withFleet(30, 40, 3)
                .withBehaviour(0.2, true, false, true)
                .withPace(0, 6)
                .withLogin("admin", PASSWORD)
                .withFiles(data.resolve("simulator-devices.json"), "crash-")
                .withOutput(false, true, 0));
        AtomicReference<Simulator.Summary> summary = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            try {
                summary.set(sim.run());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        load.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sim.acceptedSoFar() < 300 && load.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(load.isAlive(), "the load was still running when the runner was killed");
        first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed on the way out
        assertTrue(first.waitFor(20, TimeUnit.SECONDS));
        load.join(120_000);
        if (failure.get() != null) {
            throw new AssertionError("simulator failed", failure.get());
        }
        Simulator.Summary s = summary.get();
        assertTrue(s.errors() > 0, "some uploads hit the dead server: " + s.describe());
        assertTrue(s.accepted() >= 300, s.describe());

        Process second = startRunner(2);
        try {
            String restarted = Files.readString(log(2), StandardCharsets.UTF_8);
            System.out.println(s.describe() + "\n" + restarted);
            assertTrue(restarted.matches("(?s).*\\n  [1-9][0-9]* sync-event message\\(s\\) kept on the queue from the last run.*"),
                    "the killed runner left messages on the queue, and they are back: " + restarted);
            Api api = new Api(URI.create("http://127.0.0.1:" + port(second)), "admin", PASSWORD);
            assertEquals(30, countDevices(api), "every device is still registered");
            // Messages in flight at the crash come back after the visibility timeout (3 s here).
            Map<String, List<String>> stored = new TreeMap<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                stored.clear();
                boolean complete = true;
                for (Map.Entry<String, Set<String>> e : s.acceptedByDevice().entrySet()) {
                    List<String> history = api.history(e.getKey());
                    stored.put(e.getKey(), history);
                    complete &= new HashSet<>(history).containsAll(e.getValue());
                }
                if (complete) {
                    break;
                }
                if (System.nanoTime() > until) {
                    fail("accepted events missing after the restart: " + missing(s, stored));
                }
                Thread.sleep(500);
            }
            long storedTotal = 0;
            for (Map.Entry<String, List<String>> e : stored.entrySet()) {
                List<String> history = e.getValue();
                assertEquals(history.size(), new HashSet<>(history).size(), e.getKey() + ": an event stored twice");
                assertTrue(s.sentByDevice().get(e.getKey()).containsAll(history), e.getKey() + ": stored but never sent");
                JsonNode device = api.get("/v1/devices/" + e.getKey());
                assertEquals(history.size(), device.path("total_syncs").asInt(), e.getKey() + " total_syncs");
                storedTotal += history.size();
            }
            assertTrue(storedTotal >= s.accepted(), "stored " + storedTotal + " of " + s.accepted() + " accepted");
        } finally {
            second.destroy(); // SIGTERM: the runner stops cleanly (its servers close in a few seconds; 60 s leaves room
            // for a machine busy with other builds, where 30 s was once not enough)
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "stopped within 60 s of SIGTERM");
            String log = Files.readString(log(2), StandardCharsets.UTF_8);
            assertTrue(log.contains("PiSync stopped"), log);
        }
    }

    private static int countDevices(Api api) throws Exception {
        int n = 0;
        String cursor = null;
        do {
            JsonNode page = api.get("/v1/devices?limit=100" + (cursor == null ? ""
                    : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            n += page.path("items").size();
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return n;
    }

    private static String missing(Simulator.Summary s, Map<String, List<String>> stored) {
        List<String> missing = new ArrayList<>();
        s.acceptedByDevice().forEach((device, ids) -> ids.stream()
                .filter(id -> !stored.getOrDefault(device, List.of()).contains(id)).forEach(missing::add));
        return missing.size() + " " + missing.subList(0, Math.min(10, missing.size()));
    }

    private Path log(int run) {
        return data.resolveSibling(data.getFileName() + "-runner-" + run + ".log");
    }

    /** `./pisync local` in a child JVM on a free port; returns once it printed that it is running. */
    private Process startRunner(int run) throws Exception {
        int port = freePort();
        Path log = log(run);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PiSyncLocal.class.getName(),
                "--port", Integer.toString(port), "--data-dir", data.resolve("pisync").toString(),
                "--visibility-timeout", "3s", "--dashboard-dir", data.resolve("no-dashboard").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PISYNC_ADMIN_PASSWORD", PASSWORD);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (out.contains("PiSync is running")) {
                ports.put(p, port);
                return p;
            }
            if (!p.isAlive()) {
                fail("runner exited with " + p.exitValue() + ":\n" + out);
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        fail("runner did not start within 90 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
        return null;
    }

    private final Map<Process, Integer> ports = new java.util.HashMap<>();

    private int port(Process p) {
        return ports.get(p);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
