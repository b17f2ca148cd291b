package com.pisync.local.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./pisync local} and {@code ./pisync simulate} command lines (picocli): a bad flag or value is a usage error
 * (message + usage on stderr, exit 2), never a stack trace; the mains are run in a child JVM as ./pisync runs them.
 */
class CommandLineTest {

    /** The main's exit code and standard error. */
    private record Exit(int code, String stderr) {
    }

    private static Exit run(String main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exited");
        return new Exit(p.exitValue(), err);
    }

    @Test
    void simulateWithABadSeedPrintsUsageAndExits2() throws Exception {
        Exit e = run("com.pisync.local.runner.SimulatorCommand", "--seed", "x");
        assertEquals(2, e.code(), e.stderr());
        assertTrue(e.stderr().contains("pisync simulate: Invalid value for option '--seed'"), e.stderr());
        assertTrue(e.stderr().contains("Usage: ./pisync simulate"), e.stderr());
        assertTrue(!e.stderr().contains("Exception"), "no stack trace: " + e.stderr());
    }

    @Test
    void localWithABadPortPrintsUsageAndExits2() throws Exception {
        Exit e = run("com.pisync.local.runner.PiSyncLocal", "--port", "abc");
        assertEquals(2, e.code(), e.stderr());
        assertTrue(e.stderr().contains("pisync local: Invalid value for option '--port'"), e.stderr());
        assertTrue(e.stderr().contains("Usage: ./pisync local"), e.stderr());
        assertTrue(!e.stderr().contains("Exception"), "no stack trace: " + e.stderr());
    }

    @Test
    void helpExits0() throws Exception {
        assertEquals(0, run("com.pisync.local.runner.SimulatorCommand", "--help").code());
    }

    @Test
    void mistakesOfTheLocalCommandLine() {
        for (List<String> bad : List.of(List.of("--port", "70000"), List.of("--nope"), List.of("--port"),
                List.of("--sweep-every", "soon"), List.of("--batch-size", "0"), List.of("--demo-rate", "-1"),
                List.of("--visibility-timeout", "13h"))) {
            RunnerOptions.UsageException e = assertThrows(RunnerOptions.UsageException.class,
                    () -> RunnerOptions.parse(bad), bad.toString());
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), bad.toString());
        }
        assertEquals(null, assertThrows(RunnerOptions.UsageException.class,
                () -> RunnerOptions.parse(List.of("--help"))).getMessage());
    }

    @Test
    void localOptionsAsBefore() {
        RunnerOptions o = RunnerOptions.parse(List.of("--port=0", "--data-dir", "d", "--demo", "--sweep-every", "30s",
                "--batch-window", "500ms", "--demo-rate", "3.5", "--quiet"));
        assertEquals(0, o.port());
        assertEquals(Path.of("d"), o.dataDir());
        assertTrue(o.demo() && o.quiet());
        assertEquals(Duration.ofSeconds(30), o.sweepEvery());
        assertEquals(Duration.ofMillis(500), o.batchWindow());
        assertEquals(3.5, o.demoRate());
        assertEquals(RunnerOptions.defaults().batchSize(), o.batchSize());
    }

    @Test
    void simulatorOptions() {
        Simulator.Options o = SimulatorCommand.parse(List.of("--url", "https://api.example.org", "--devices", "5",
                "--events-per-device=0", "--failure-rate", "0.5", "--rate", "20/s", "--seed", "42", "--no-progress",
                "--streaks", "--password", "pw"), Map.of());
        assertEquals(5, o.devices());
        assertEquals(0, o.eventsPerDevice());
        assertEquals(0.5, o.failureRate());
        assertEquals(20.0, o.rate());
        assertEquals(42L, o.seed());
        assertTrue(o.streaks() && !o.progress());
        assertEquals("pw", o.password());
        for (List<String> bad : List.of(List.of("--url", "ftp://x"), List.of("--failure-rate", "2"),
                List.of("--rate", "fast"), List.of("--batch", "501"), List.of("--devices", "many"))) {
            assertThrows(RunnerOptions.UsageException.class, () -> SimulatorCommand.parse(bad, Map.of()), bad.toString());
        }
    }
}
