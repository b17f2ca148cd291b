package com.pisync.stats;

import static com.pisync.stats.StatsBed.NOW;
import static com.pisync.stats.StatsBed.TODAY;
import static com.pisync.stats.StatsBed.event;
import static com.pisync.stats.StatsBed.failure;
import static com.pisync.stats.StatsBed.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.stats.CounterUpdate;
import com.pisync.aws.dynamodb.FleetCounterStore;
import com.pisync.aws.stats.FleetStats;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.aws.stats.RecordCounters;
import com.pisync.aws.stats.StatsItems;
import com.pisync.testbed.StreamPoller;
import com.pisync.domain.ReceivedSyncEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stats function fed by the real streams of the tables the processor writes, read as the API reads. */
class FleetStatsTest {

    @Test
    void syncsCountByDeviceDayAndInTheLast24HoursByServerReceipt() {
        StatsBed bed = new StatsBed();
        bed.register("a", "north");
        bed.register("b", "south");
        bed.register("c", null);
        ReceivedSyncEvent e1 = event("a", "e1", at(TODAY.minusDays(2), 10), NOW.minus(Duration.ofHours(2)), 10, 0, 10);
        bed.sync("a", e1);
        bed.sync("a", event("a", "e2", at(TODAY, 8), NOW.minus(Duration.ofHours(1)), 5, 1, 20));
        // received 30 h ago: in yesterday's chart, not in the last 24 h
        bed.sync("b", event("b", "e3", at(TODAY.minusDays(1), 6), NOW.minus(Duration.ofHours(30)), 7, 0, 5));
        // a device clock 45 days behind: no day in the chart, but received just now
        bed.sync("c", event("c", "e4", at(TODAY.minusDays(45), 9), NOW.minus(Duration.ofMinutes(10)), 1, 0, 30));
        bed.history.putAll(List.of(e1), "north"); // the processor writing a stored event again (a MODIFY)
        bed.drain();

        FleetStats fleet = bed.read(null);
        assertEquals(new FleetStats.Last24h(3, 1, 16, 20.0), fleet.last24h());
        assertEquals(30, fleet.daily().size());
        assertEquals(TODAY.minusDays(29), fleet.daily().get(0).date());
        assertEquals(new FleetStats.Day(TODAY, 1, 1, 5), fleet.daily().get(29));
        assertEquals(new FleetStats.Day(TODAY.minusDays(1), 1, 0, 7), fleet.daily().get(28));
        assertEquals(new FleetStats.Day(TODAY.minusDays(2), 1, 0, 10), fleet.daily().get(27));
        assertEquals(3, fleet.daily().stream().mapToLong(FleetStats.Day::syncs).sum());
        // a and c synced within the offline window, b's last upload is 30 h old
        assertEquals(new FleetStats.Devices(2, 0, 1, 0, 0), fleet.devices());

        FleetStats north = bed.read("north");
        assertEquals(new FleetStats.Last24h(2, 1, 15, 15.0), north.last24h());
        assertEquals(new FleetStats.Day(TODAY, 1, 1, 5), north.daily().get(29));
        assertEquals(new FleetStats.Day(TODAY.minusDays(2), 1, 0, 10), north.daily().get(27));
        assertEquals(new FleetStats.Devices(1, 0, 0, 0, 0), north.devices());

        FleetStats south = bed.read("south");
        assertEquals(new FleetStats.Last24h(0, 0, 0, null), south.last24h());
        assertNull(south.last24h().avgInternetSpeed());
        assertEquals(new FleetStats.Day(TODAY.minusDays(1), 1, 0, 7), south.daily().get(28));
        assertEquals(new FleetStats.Devices(0, 0, 1, 0, 0), south.devices());

        FleetStats nowhere = bed.read("no-such-site");
        assertEquals(0, nowhere.devices().total());
        assertEquals(30, nowhere.daily().size());
    }

    @Test
    void deviceCountsFollowStatusAndSiteChanges() {
        StatsBed bed = new StatsBed();
        bed.register("d1", null);
        bed.drain();
        assertEquals(new FleetStats.Devices(0, 0, 0, 1, 0), bed.read(null).devices());

        bed.moveToSite("d1", "north");
        bed.drain();
        assertEquals(new FleetStats.Devices(0, 0, 0, 1, 0), bed.read(null).devices());
        assertEquals(new FleetStats.Devices(0, 0, 0, 1, 0), bed.read("north").devices());

        Instant t = NOW.minus(Duration.ofHours(6));
        bed.sync("d1", success("d1", "s1", t));
        bed.drain();
        assertEquals(new FleetStats.Devices(1, 0, 0, 0, 0), bed.read(null).devices());

        bed.sync("d1", failure("d1", "f1", t.plusSeconds(60)), failure("d1", "f2", t.plusSeconds(120)));
        bed.drain();
        assertEquals(new FleetStats.Devices(1, 0, 0, 0, 0), bed.read("north").devices(), "2 failures: still healthy");
        bed.sync("d1", failure("d1", "f3", t.plusSeconds(180)));
        bed.drain();
        assertEquals(new FleetStats.Devices(0, 1, 0, 0, 0), bed.read(null).devices());
        assertEquals(new FleetStats.Devices(0, 1, 0, 0, 0), bed.read("north").devices());

        bed.sync("d1", success("d1", "s2", t.plusSeconds(240)));
        bed.moveToSite("d1", "south");
        bed.register("d2", "north");
        bed.decommission("d2");
        bed.drain();
        assertEquals(new FleetStats.Devices(1, 0, 0, 0, 1), bed.read(null).devices());
        assertEquals(2, bed.read(null).devices().total());
        assertEquals(new FleetStats.Devices(0, 0, 0, 0, 1), bed.read("north").devices());
        assertEquals(new FleetStats.Devices(1, 0, 0, 0, 0), bed.read("south").devices());
        assertEquals(new FleetStats.Last24h(5, 3, 2, 4.6), bed.read("north").last24h(), "events count in the site they were stored in");
    }

    @Test
    void anUploadItemsEventsCountOnceEachAndALateEventJoiningItOnceMore() {
        StatsBed bed = new StatsBed();
        bed.register("a", "north");
        Instant t = NOW.minus(Duration.ofHours(3));
        bed.sync("a", success("a", "u1", t), failure("a", "u2", t.plusSeconds(60)), success("a", "u3", t.plusSeconds(120)));
        bed.drain();
        assertEquals(3, bed.read("north").last24h().syncs());
        assertEquals(1, bed.read("north").last24h().failures(), "the error entry of u2 is a copy, not counted");

        bed.sync("a", failure("a", "late", t.plusSeconds(90))); // inside the upload: joins its item
        bed.history.putAll(List.of(failure("a", "late", t.plusSeconds(90))), "north"); // written again: nothing new
        bed.drain();

        assertEquals(4, bed.read("north").last24h().syncs());
        assertEquals(2, bed.read("north").last24h().failures());
        assertEquals(4, bed.read(null).daily().stream().mapToLong(FleetStats.Day::syncs).sum());
        assertEquals(List.of("u3", "late", "u2", "u1"), bed.history.history("a", 10).stream()
                .map(e -> e.event().eventId()).toList());
    }

    @Test
    void theSameDeliveryTwiceCountsOnce() {
        StatsBed bed = new StatsBed();
        bed.register("a", "north");
        for (int i = 0; i < 5; i++) {
            bed.sync("a", success("a", "e" + i, NOW.minus(Duration.ofMinutes(50 - i))));
        }
        DynamodbEvent events = delivery(bed.eventStream.peekAll());
        DynamodbEvent devices = delivery(bed.deviceStream.peekAll());
        for (int round = 0; round < 2; round++) {
            assertTrue(bed.handler.handleRequest(events, null).getBatchItemFailures().isEmpty());
            assertTrue(bed.handler.handleRequest(devices, null).getBatchItemFailures().isEmpty());
        }
        FleetStats north = bed.read("north");
        assertEquals(5, north.last24h().syncs());
        assertEquals(5, north.daily().get(29).syncs());
        assertEquals(new FleetStats.Devices(1, 0, 0, 0, 0), north.devices());
        assertEquals(new FleetStats.Devices(1, 0, 0, 0, 0), bed.read(null).devices());
    }

    @Test
    void aRetryWithOtherBoundariesCountsOnce() {
        StatsBed bed = new StatsBed(2, 100);
        bed.register("a", null);
        for (int i = 0; i < 12; i++) {
            // a new day and hour per event: with 2 counters per transaction, one transaction per event
            bed.sync("a", event("a", "e" + i, at(TODAY.minusDays(i), 9), NOW.minus(Duration.ofHours(i)), 1, 0, 10));
        }
        List<DynamodbEvent.DynamodbStreamRecord> records = bed.eventStream.peekAll();
        assertEquals(12, records.size());
        // Lambda retries a delivery from its first record, with whatever records the shard has then
        assertTrue(bed.handler.handleRequest(delivery(records.subList(0, 5)), null).getBatchItemFailures().isEmpty());
        assertTrue(bed.handler.handleRequest(delivery(records), null).getBatchItemFailures().isEmpty());
        assertTrue(bed.handler.handleRequest(delivery(records.subList(0, 8)), null).getBatchItemFailures().isEmpty());
        FleetStats fleet = bed.read(null);
        assertEquals(12, fleet.daily().stream().mapToLong(FleetStats.Day::syncs).sum());
        fleet.daily().subList(18, 30).forEach(d -> assertEquals(1, d.syncs(), d.toString()));
        assertEquals(12, fleet.last24h().syncs());
    }

    @Test
    void aDeliveryWhoseWriteAnswerWasLostIsRetriedFromItsFirstRecordAndCountsOnce() {
        for (boolean afterServerDidIt : new boolean[] {true, false}) {
            StatsBed bed = new StatsBed(2, 100, new FailNthCall("TransactWriteItems", 3, afterServerDidIt));
            bed.register("a", null);
            List<ReceivedSyncEvent> events = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                events.add(event("a", "e" + i, at(TODAY.minusDays(i), 9), NOW.minus(Duration.ofHours(i)), 2, 0, 10));
            }
            bed.history.putAll(events, null);
            List<DynamodbEvent.DynamodbStreamRecord> records = bed.eventStream.peekAll();

            StreamsEventResponse first = bed.handler.handleRequest(delivery(records), null);
            assertEquals(List.of(records.get(0).getDynamodb().getSequenceNumber()),
                    first.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                            .toList(), "retried from the delivery's first record");
            bed.eventStream.drain(); // Lambda's retry, through the poller this time
            FleetStats fleet = bed.read(null);
            assertEquals(6, fleet.last24h().syncs(), "after server did it: " + afterServerDidIt);
            assertEquals(12, fleet.daily().stream().mapToLong(FleetStats.Day::filesSynced).sum());
        }
    }

    @Test
    void aReadCostsTheSameFor50And2000Devices() {
        double[] small = fleetReadCost(50);
        double[] large = fleetReadCost(2000);
        assertEquals(small[0], large[0], "read units of a fleet read");
        assertEquals(small[1], large[1], "read units of a site read");
        assertEquals(3.0, small[2], "Queries per read");
        assertEquals(3.0, large[2], "Queries per read");
    }

    @Test
    void aReadCostsAtMostTheCeilingWhenEveryShardOfEveryDayHourAndStatusIsWritten() {
        StatsBed bed = new StatsBed();
        FleetCounterStore store = new FleetCounterStore(bed.dynamo, bed.config.statsTable());
        List<CounterUpdate> all = new ArrayList<>();
        BigDecimal big = new BigDecimal("123456789");
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            String s = Shards.name(shard);
            for (int d = 0; d < FleetStatsStore.DAYS; d++) {
                LocalDate day = TODAY.minusDays(d);
                all.add(CounterUpdate.of("fleet", StatsItems.dayCounter(day, s), Map.of(StatsItems.SYNCS, big,
                        StatsItems.FAILURES, big, StatsItems.FILES_SYNCED, big), StatsItems.dayExpiry(day)));
            }
            for (int h = 0; h < FleetStatsStore.HOURS; h++) {
                Instant hour = NOW.minus(Duration.ofHours(h));
                all.add(CounterUpdate.of("fleet", StatsItems.hourCounter(hour, s), Map.of(StatsItems.SYNCS, big,
                        StatsItems.FAILURES, big, StatsItems.FILES_SYNCED, big, StatsItems.SPEED_SUM,
                        new BigDecimal("98765432.125"), StatsItems.SPEED_COUNT, big), StatsItems.hourExpiry(hour)));
            }
            for (String status : List.of("healthy", "failing", "offline", "never_synced", "decommissioned")) {
                all.add(CounterUpdate.of("fleet", StatsItems.statusCounter(status, s),
                        Map.of(StatsItems.DEVICES, new BigDecimal("125000")), null));
            }
        }
        List<RecordCounters> records = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 60) {
            records.add(new RecordCounters(Integer.toString(i + 1), all.subList(i, Math.min(all.size(), i + 60))));
        }
        store.apply("ceiling", records, NOW);

        bed.meter.reset();
        FleetStats fleet = bed.read(null);
        System.out.printf("read with every shard written (%d counter items): %.1f RCU, %d Queries%n", all.size(),
                bed.meter.readUnits(), bed.meter.requests("DynamoDb.Query"));
        assertEquals(10_000_000, fleet.devices().total());
        assertEquals(16 * 123456789L, fleet.daily().get(0).syncs());
        assertEquals(3, bed.meter.requests("DynamoDb.Query"), "no Query needs a second page");
        assertTrue(bed.meter.readUnits() <= 13, "read units: " + bed.meter.readUnits());
    }

    /**
     * {fleet read units, site read units, Queries per read} after a fleet of {@code devices} in 10 sites
     * synced once each within the same hour.
     */
    private static double[] fleetReadCost(int devices) {
        TransactItemCounter items = new TransactItemCounter();
        StatsBed bed = new StatsBed(99, StreamPoller.DEFAULT_BATCH_SIZE, items);
        List<List<ReceivedSyncEvent>> bySite = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            bySite.add(new ArrayList<>());
        }
        bed.registerAll(devices, 10);
        for (int i = 0; i < devices; i++) {
            String id = "dev-" + i;
            Instant at = NOW.minus(Duration.ofMinutes(1 + i % 50));
            bySite.get(i % 10).add(event(id, "e" + i, at, at, 3, i % 7 == 0 ? 1 : 0, 8));
        }
        for (int s = 0; s < 10; s++) {
            bed.history.putAll(bySite.get(s), "site-" + s);
        }
        bed.deviceStream.drain();
        bed.statsMeter.reset();
        items.reset();
        bed.eventStream.drain();
        System.out.printf("stats function, %d events in 10 sites, batches of %d: %.3f TransactWriteItems and %.3f"
                + " transaction items (2 WCU each) per event%n", devices, StreamPoller.DEFAULT_BATCH_SIZE,
                bed.statsMeter.requests("DynamoDb.TransactWriteItems") / (double) devices, items.items() / (double) devices);

        bed.meter.reset();
        FleetStats fleet = bed.read(null);
        double fleetUnits = bed.meter.readUnits();
        double queries = bed.meter.requests("DynamoDb.Query");
        bed.meter.reset();
        bed.read("site-3");
        double siteUnits = bed.meter.readUnits();
        assertEquals(devices, fleet.devices().neverSynced());
        assertEquals(devices, fleet.last24h().syncs());
        System.out.printf("read of %d devices: fleet %.1f RCU, site %.1f RCU, %s Queries%n", devices, fleetUnits,
                siteUnits, queries);
        return new double[] {fleetUnits, siteUnits, queries};
    }

    static DynamodbEvent delivery(List<DynamodbEvent.DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    static Instant at(LocalDate day, int hour) {
        return day.atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }
}
