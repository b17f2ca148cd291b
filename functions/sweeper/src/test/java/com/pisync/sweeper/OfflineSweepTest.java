package com.pisync.sweeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.dynamodb.DeviceIndexes;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.domain.DeviceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The sweep on the local DynamoDB engine: what it marks, what it leaves alone, and what it reads. */
class OfflineSweepTest {

    private static final Duration H = Duration.ofHours(1);

    @Test
    void healthyDeviceLastSeen25HoursAgoTurnsOfflineAndLeavesTheWatchIndex() {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0042", H.multipliedBy(25));
        assertEquals("healthy", fleet.status("pibook-0042"));
        assertEquals(Set.of("pibook-0042"), fleet.watched());

        SweepResult result = fleet.sweep().sweep();

        assertEquals(1, result.checked());
        assertEquals(1, result.markedOffline());
        assertTrue(result.complete());
        Map<String, AttributeValue> item = fleet.item("pibook-0042");
        assertEquals("offline", item.get(DeviceItems.STATUS).s());
        assertEquals("offline#" + Shards.of("pibook-0042"), item.get(DeviceIndexes.STATUS_SHARD).s());
        assertFalse(item.containsKey(DeviceIndexes.WATCH_SHARD));
        assertFalse(item.containsKey(DeviceIndexes.OFFLINE_HOUR));
        assertEquals("2", item.get(DeviceItems.VERSION).n());
        assertEquals(Fleet.NOW.minus(H.multipliedBy(25)),
                DeviceItems.fromItem("pibook-0042", item).state().lastSeenAt());
        assertEquals(Set.of(), fleet.watched());

        SweepResult again = fleet.sweep().sweep();
        assertEquals(0, again.checked(), "an offline device is no longer watched");
        assertEquals(2, fleet.version("pibook-0042"));
    }

    @Test
    void deviceLastSeen23HoursAgoStaysHealthyAndIsNotEvenRead() {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0001", H.multipliedBy(23));

        SweepResult result = fleet.sweep().sweep();

        assertEquals(0, result.checked());
        assertEquals(0, fleet.meter.requests("DynamoDb.GetItem"));
        assertEquals("healthy", fleet.status("pibook-0001"));
        assertEquals(1, fleet.version("pibook-0001"));
        assertEquals(Set.of("pibook-0001"), fleet.watched());
    }

    @Test
    void deviceInTheBoundaryHourIsMarkedByARunWithinTheNextHour() {
        Fleet fleet = new Fleet();
        // Last seen 2026-11-01T09:10Z: offline from 2026-11-02T09:10Z on, in offline_hour 2026-11-02T09:00.
        fleet.upload("pibox-0003", Instant.parse("2026-11-01T09:10:00Z"), false, 1);
        // Last seen 08:50 the day before: offline since 08:50, its hour is before the cutoff hour.
        fleet.upload("pibox-0004", Instant.parse("2026-11-01T08:50:00Z"), false, 1);

        SweepResult at0900 = fleet.sweep().sweep(Instant.parse("2026-11-02T09:00:00Z"), () -> Long.MAX_VALUE);
        assertEquals(1, at0900.markedOffline());
        assertEquals("offline", fleet.status("pibox-0004"));
        assertEquals("healthy", fleet.status("pibox-0003"));

        SweepResult at0930 = fleet.sweep().sweep(Instant.parse("2026-11-02T09:30:00Z"), () -> Long.MAX_VALUE);
        assertEquals("2026-11-02T09:00:00Z", at0930.cutoffHour());
        assertEquals(0, at0930.checked(), "the boundary hour is not read: offline for 20 min, still healthy (≤ 1 h lag)");
        assertEquals("healthy", fleet.status("pibox-0003"));

        SweepResult at1000 = fleet.sweep().sweep(Instant.parse("2026-11-02T10:00:00Z"), () -> Long.MAX_VALUE);
        assertEquals(1, at1000.markedOffline());
        assertEquals("offline", fleet.status("pibox-0003"));
    }

    @Test
    void failingDeviceSeen3DaysAgoStaysFailing() {
        Fleet fleet = new Fleet();
        fleet.failing("pibox-0007", Duration.ofDays(3));
        assertEquals("failing", fleet.status("pibox-0007"));
        assertEquals(Set.of(), fleet.watched(), "only healthy devices are watched");

        SweepResult result = fleet.sweep().sweep();

        assertEquals(0, result.checked());
        assertEquals("failing", fleet.status("pibox-0007"));
        assertEquals(1, fleet.version("pibox-0007"));
    }

    @Test
    void failingDeviceStillListedByALaggingIndexIsLeftFailing() {
        Fleet fleet = new Fleet();
        fleet.failing("pibox-0008", Duration.ofDays(3));
        // The index entry of its healthy past, as a lagging GSI would still show it.
        fleet.rawUpdate("pibox-0008", "SET #w = :w, #h = :h",
                Fleet.names("#w", DeviceIndexes.WATCH_SHARD, "#h", DeviceIndexes.OFFLINE_HOUR),
                Map.of(":w", AttributeValue.fromS(Shards.of("pibox-0008")),
                        ":h", AttributeValue.fromS(DeviceIndexes.offlineHour(Fleet.NOW.minus(Duration.ofDays(3))))));

        SweepResult result = fleet.sweep().sweep();

        assertEquals(1, result.checked());
        assertEquals(1, result.stillOnline());
        assertEquals(0, result.markedOffline());
        assertEquals("failing", fleet.status("pibox-0008"));
        assertEquals(1, fleet.version("pibox-0008"));
    }

    @Test
    void decommissionedDeviceIsUntouched() {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0099", H.multipliedBy(30));
        // Decommissioned by the registry, its watch keys not (yet) gone from the index.
        fleet.rawUpdate("pibook-0099", "SET #d = :d, #v = #v + :one",
                Fleet.names("#d", DeviceItems.DECOMMISSIONED_AT, "#v", DeviceItems.VERSION),
                Map.of(":d", AttributeValue.fromS("2026-11-01T12:00:00Z"), ":one", AttributeValue.fromN("1")));
        Map<String, AttributeValue> before = fleet.item("pibook-0099");

        SweepResult result = fleet.sweep().sweep();

        assertEquals(1, result.checked());
        assertEquals(0, result.markedOffline());
        assertEquals(before, fleet.item("pibook-0099"));
        assertEquals(0, fleet.meter.requests("DynamoDb.UpdateItem"));
    }

    @Test
    void deviceThatSyncsBetweenTheIndexReadAndTheUpdateIsNotOverwritten() {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0500", H.multipliedBy(26));
        // The processor commits a fresh upload after the sweep read the device, before its update lands.
        fleet.hooks.beforeUpdateOf("pibook-0500", () -> fleet.healthy("pibook-0500", Duration.ofMinutes(1)));

        SweepResult result = fleet.sweep().sweep();

        assertEquals(1, result.checked());
        assertEquals(1, result.conflicts());
        assertEquals(0, result.markedOffline());
        assertEquals(1, result.stillOnline());
        Map<String, AttributeValue> item = fleet.item("pibook-0500");
        assertEquals("healthy", item.get(DeviceItems.STATUS).s());
        assertEquals(Fleet.NOW.minus(Duration.ofMinutes(1)),
                DeviceItems.fromItem("pibook-0500", item).state().lastSeenAt());
        assertEquals("2026-11-03T08:00:00Z", item.get(DeviceIndexes.OFFLINE_HOUR).s(), "the hour of offline_at (last seen + 24 h)");
        // The upload's commit left the offline-due entry at its earlier hour (no index write per sync); the sweep,
        // reading the device again, moved it to the hour it is due: versions 1 (first upload), 2 (this one), 3.
        assertEquals("3", item.get(DeviceItems.VERSION).n());
        assertEquals(2, fleet.meter.requests("DynamoDb.GetItem"), "read once, re-read once after the lost update");
    }

    @Test
    void unrelatedConcurrentWriteIsKeptAndTheDeviceStillTurnsOffline() {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0501", H.multipliedBy(26));
        fleet.hooks.beforeUpdateOf("pibook-0501", () -> fleet.rawUpdate("pibook-0501", "SET #n = :n, #v = #v + :one",
                Fleet.names("#n", "name", "#v", DeviceItems.VERSION),
                Map.of(":n", AttributeValue.fromS("Room 4 tablet"), ":one", AttributeValue.fromN("1"))));

        SweepResult result = fleet.sweep().sweep();

        assertEquals(1, result.conflicts());
        assertEquals(1, result.markedOffline());
        assertEquals("offline", fleet.status("pibook-0501"));
        assertEquals("Room 4 tablet", fleet.attribute("pibook-0501", "name"));
        assertEquals(3, fleet.version("pibook-0501"));
    }

    @Test
    void deviceChangingTwiceUnderTheSweepIsLeftToTheNextRun() {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0502", H.multipliedBy(26));
        fleet.hooks.beforeUpdateOf("pibook-0502", () -> fleet.bumpVersion("pibook-0502"),
                () -> fleet.bumpVersion("pibook-0502"));

        SweepResult first = fleet.sweep().sweep();

        assertEquals(2, first.conflicts());
        assertEquals(1, first.gaveUp());
        assertEquals(0, first.markedOffline());
        assertEquals("healthy", fleet.status("pibook-0502"));
        assertEquals(3, fleet.version("pibook-0502"));

        SweepResult next = fleet.sweep().sweep();
        assertEquals(1, next.markedOffline());
        assertEquals("offline", fleet.status("pibook-0502"));
    }

    @Test
    void processorCommitReadBeforeTheSweepRetriesAndBringsTheDeviceBack() {
        Fleet fleet = new Fleet();
        fleet.healthy("pibook-0503", H.multipliedBy(26));
        DeviceRecord readByProcessor = fleet.store.load("pibook-0503");

        fleet.sweep().sweep();
        assertEquals("offline", fleet.status("pibook-0503"));

        // The processor's commit based on the read before the sweep fails its version check...
        assertFalse(fleet.store.commit(readByProcessor, readByProcessor.state(), DeviceStatus.HEALTHY, Set.of(), List.of(),
                readByProcessor.failureDays(), Fleet.NOW));
        // ...and its retry (a fresh read) applies the new upload: the device is healthy and watched again.
        fleet.healthy("pibook-0503", Duration.ZERO);
        assertEquals("healthy", fleet.status("pibook-0503"));
        assertEquals(Set.of("pibook-0503"), fleet.watched());
    }

    @Test
    void readsDependOnTheDevicesToMarkNotOnTheFleet() {
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stale.add("stale-" + i);
        }
        List<String> recent = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            recent.add(String.format("pibook-%04d", i));
        }
        Fleet small = new Fleet();
        small.healthy(stale, i -> H.multipliedBy(25 + i));
        Fleet large = new Fleet();
        large.healthy(stale, i -> H.multipliedBy(25 + i));
        large.healthy(recent, i -> Duration.ofMinutes(i % (23 * 60))); // every hour of the last day

        SweepResult onSmall = small.sweep().sweep();
        SweepResult onLarge = large.sweep().sweep();

        assertEquals(10, onSmall.markedOffline());
        assertEquals(10, onLarge.markedOffline());
        assertEquals(10, onLarge.checked());
        Map<String, Long> expected = Map.of("DynamoDb.Query", (long) Shards.COUNT, "DynamoDb.GetItem", 10L,
                "DynamoDb.UpdateItem", 10L);
        assertEquals(expected, small.meter.requests());
        assertEquals(expected, large.meter.requests(), "no Scan, and nothing read for the 1,000 recent devices");
        assertEquals(small.meter.readUnits(), large.meter.readUnits(), 1e-9);
        assertEquals(small.meter.writeUnits(), large.meter.writeUnits(), 1e-9);
        System.out.printf("sweep of 10 stale devices: fleet of 10 -> %.1f RCU, %.1f WCU; fleet of 1010 -> %.1f RCU, %.1f WCU%n",
                small.meter.readUnits(), small.meter.writeUnits(), large.meter.readUnits(), large.meter.writeUnits());
    }

    @Test
    void pagesThroughAShardWithManyStaleDevices() {
        Fleet fleet = new Fleet();
        List<String> sameShard = new ArrayList<>();
        for (int i = 0; sameShard.size() < 7; i++) {
            String id = "pibox-" + i;
            if (Shards.of(id).equals("03")) {
                sameShard.add(id);
            }
        }
        fleet.healthy(sameShard, i -> Duration.ofDays(2).plus(H.multipliedBy(i)));

        SweepResult result = fleet.sweep(OfflineSweep.Limits.DEFAULTS.withPageSize(2)).sweep();

        assertEquals(7, result.markedOffline());
        assertEquals(Shards.COUNT - 1 + 4, result.queries(), "pages of 2, 2, 2, 1 on shard 03, one page elsewhere");
        for (String id : sameShard) {
            assertEquals("offline", fleet.status(id));
        }
    }

    @Test
    void massOutageIsWorkedOffOverSeveralRuns() {
        Fleet fleet = new Fleet();
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stale.add("pibook-" + (700 + i));
        }
        fleet.healthy(stale, i -> H.multipliedBy(30));
        OfflineSweep sweep = fleet.sweep(OfflineSweep.Limits.DEFAULTS.withMaxDevices(4));

        SweepResult first = sweep.sweep();
        assertEquals(4, first.checked());
        assertEquals(4, first.markedOffline());
        assertEquals(OfflineSweep.STOPPED_MAX_DEVICES, first.stoppedBy());
        assertFalse(first.complete());
        assertEquals(6, fleet.watched().size());

        SweepResult second = sweep.sweep();
        SweepResult third = sweep.sweep();
        assertEquals(4, second.markedOffline());
        assertEquals(2, third.markedOffline());
        assertTrue(third.complete());
        assertNull(third.stoppedBy());
        assertEquals(Set.of(), fleet.watched());
    }

    @Test
    void stopsWhenTheInvocationRunsOutOfTime() {
        Fleet fleet = new Fleet();
        List<String> stale = List.of("pibook-801", "pibook-802", "pibook-803");
        fleet.healthy(stale, i -> H.multipliedBy(30));

        SweepResult none = fleet.sweep().sweep(Fleet.NOW, () -> 9_000);
        assertEquals(0, none.checked());
        assertEquals(0, none.queries());
        assertEquals(OfflineSweep.STOPPED_TIME_BUDGET, none.stoppedBy());

        // One shard at a time; the budget is gone once the first device is marked.
        OfflineSweep sequential = fleet.sweep(new OfflineSweep.Limits(200, 50_000, 10_000, 1));
        SweepResult some = sequential.sweep(Fleet.NOW,
                () -> fleet.meter.requests("DynamoDb.UpdateItem") == 0 ? 60_000 : 5_000);
        assertEquals(OfflineSweep.STOPPED_TIME_BUDGET, some.stoppedBy());
        assertEquals(1, some.markedOffline());
        assertEquals(2, fleet.watched().size());

        SweepResult rest = fleet.sweep().sweep();
        assertTrue(rest.complete());
        assertEquals(2, rest.markedOffline());
    }
}
