package com.pisync.sweeper;

import static com.pisync.memory.DeviceBuilder.device;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.memory.MemoryDevices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The offline sweep's decisions against in-memory ports (fast, beside the function); OfflineSweepTest runs the
 * same sweep on the DynamoDB engine.
 */
class OfflineSweepLogicTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:30:00Z");
    private final MemoryDevices devices = new MemoryDevices();

    private SweepResult sweep(OfflineSweep.Limits limits) {
        return new OfflineSweep(devices, devices, 3, Duration.ofHours(24), Clock.fixed(NOW, ZoneOffset.UTC), limits)
                .sweep(NOW, () -> Long.MAX_VALUE);
    }

    private SweepResult sweep() {
        return sweep(OfflineSweep.Limits.DEFAULTS);
    }

    @Test
    void aHealthyDevicePastItsOfflineHourIsMarkedOfflineOnceAndLeavesTheWatch() {
        Instant seen = NOW.minus(Duration.ofHours(26));
        devices.put(device("quiet").healthy(seen, seen.plus(Duration.ofHours(24))).build());

        SweepResult first = sweep();
        SweepResult second = sweep();

        assertEquals(1, first.markedOffline());
        assertEquals("offline", devices.get("quiet").storedStatus());
        assertEquals(0, second.checked());
    }

    @Test
    void aDeviceDueInTheCurrentHourWaitsForALaterRun() {
        Instant seen = NOW.minus(Duration.ofHours(24)).minus(Duration.ofMinutes(10)); // offline at 12:20 today
        devices.put(device("boundary").healthy(seen, seen.plus(Duration.ofHours(24))).build());

        assertEquals(0, sweep().checked());
        assertEquals("healthy", devices.get("boundary").storedStatus());
    }

    @Test
    void failingAndDecommissionedDevicesAreNotWatched() {
        devices.put(device("failing").failing(5, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(3))).build())
                .put(device("gone").healthy(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)))
                        .decommissionedAt(NOW.minus(Duration.ofDays(1))).build());

        SweepResult r = sweep();

        assertEquals(0, r.checked());
        assertEquals("failing", devices.get("failing").storedStatus());
    }

    @Test
    void aDeviceThatSyncsBetweenTheReadAndTheWriteIsNotOverwritten() {
        Instant seen = NOW.minus(Duration.ofHours(26));
        devices.put(device("racer").healthy(seen, seen.plus(Duration.ofHours(24))).build());
        devices.beforeNextUpdate(() -> devices.put(device("racer")
                .healthy(NOW.minusSeconds(5), NOW.plus(Duration.ofHours(24))).build()));

        SweepResult r = sweep();

        assertEquals(0, r.markedOffline());
        assertEquals(1, r.conflicts());
        assertEquals("healthy", devices.get("racer").storedStatus());
    }

    @Test
    void everyDueDeviceIsMarkedAcrossSmallPagesAndShards() {
        Instant seen = NOW.minus(Duration.ofHours(30));
        IntStream.range(0, 75).forEach(i -> devices.put(device("d-" + i).healthy(seen, seen.plus(Duration.ofHours(24)))
                .build()));

        SweepResult r = sweep(OfflineSweep.Limits.DEFAULTS.withPageSize(3));

        assertEquals(75, r.markedOffline());
        assertEquals(0, sweep().checked());
    }

    @Test
    void aRunStopsAtItsDeviceLimitAndTheNextRunDoesTheRest() {
        Instant seen = NOW.minus(Duration.ofHours(30));
        IntStream.range(0, 40).forEach(i -> devices.put(device("d-" + i).healthy(seen, seen.plus(Duration.ofHours(24)))
                .build()));

        SweepResult first = sweep(new OfflineSweep.Limits(5, 25, 0, 1));
        SweepResult second = sweep(new OfflineSweep.Limits(5, 25, 0, 1));

        assertEquals(25, first.markedOffline());
        assertEquals(OfflineSweep.STOPPED_MAX_DEVICES, first.stoppedBy());
        assertEquals(15, second.markedOffline());
    }
}
