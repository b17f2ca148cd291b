package com.pisync.bench.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few seconds of the end-to-end benchmark: events accepted without errors, probes saw their events stored. */
class ThroughputBenchmarkSmokeTest {

    @TempDir
    Path data;

    @Test
    void probesSeeTheirEventsInTheHistory() {
        ThroughputBenchmark.Result r = ThroughputBenchmark.run(10, 1, 2, 1, Duration.ofSeconds(5), data);
        assertTrue(r.accepted() > 0, r.describe());
        assertEquals(0, r.errors(), r.describe());
        assertTrue(r.probes() > 0, r.describe());
        assertEquals(0, r.probeTimeouts(), r.describe());
        assertTrue(r.visibleP50() > 0 && r.visibleP99() >= r.visibleP50(), r.describe());
        assertTrue(r.storedPerSecond() > 0 && r.storedPerSecond() <= r.acceptedPerSecond(), r.describe());
    }
}
