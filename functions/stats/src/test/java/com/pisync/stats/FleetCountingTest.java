package com.pisync.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.pisync.aws.dynamodb.SyncEventItems;
import com.pisync.aws.stats.CounterUpdate;
import com.pisync.aws.stats.RecordCounters;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetCountingTest {

    private static final String EVENTS_ARN =
            "arn:aws:dynamodb:us-east-1:123456789012:table/pisync-sync-events/stream/2026-10-01T00:00:00.000";
    private static final String DEVICES_ARN =
            "arn:aws:dynamodb:us-east-1:123456789012:table/pisync-devices/stream/2026-10-01T00:00:00.000";
    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");

    private final FleetCounting counting = new FleetCounting("pisync-sync-events", "pisync-devices");

    @Test
    void aStoredEventCountsInItsDeviceDayAndItsReceiptHourInFleetAndSite() {
        RecordCounters counted = counting.count(syncEvent("INSERT", "2026-10-31T23:59:00Z",
                "2026-11-01T08:03:01Z", "failed", "lincoln"), "07", NOW);

        assertEquals("101", counted.sequenceNumber());
        Map<String, Map<String, BigDecimal>> byKey = byKey(counted);
        assertEquals(Map.of("fleet day#2026-10-31#07", Map.of("syncs", n(1), "failures", n(1), "files_synced", n(42)),
                "site#lincoln day#2026-10-31#07", Map.of("syncs", n(1), "failures", n(1), "files_synced", n(42)),
                "fleet hour#2026-11-01T08#07", Map.of("syncs", n(1), "failures", n(1), "files_synced", n(42),
                        "speed_sum", new BigDecimal("12.5"), "speed_count", n(1)),
                "site#lincoln hour#2026-11-01T08#07", Map.of("syncs", n(1), "failures", n(1), "files_synced", n(42),
                        "speed_sum", new BigDecimal("12.5"), "speed_count", n(1))), byKey);
        CounterUpdate day = counted.updates().stream().filter(u -> u.key().counter().startsWith("day#")).findFirst()
                .orElseThrow();
        assertEquals(Instant.parse("2026-12-10T00:00:00Z").getEpochSecond(), day.expiresAt(), "day + 40 days");
        CounterUpdate hour = counted.updates().stream().filter(u -> u.key().counter().startsWith("hour#")).findFirst()
                .orElseThrow();
        assertEquals(Instant.parse("2026-11-04T08:00:00Z").getEpochSecond(), hour.expiresAt(), "hour + 3 days");
    }

    @Test
    void aSuccessAddsNoFailureAndAnEventWithoutSiteCountsInTheFleetOnly() {
        Map<String, Map<String, BigDecimal>> byKey = byKey(counting.count(
                syncEvent("INSERT", "2026-11-01T08:00:00Z", "2026-11-01T08:00:01Z", "success", null), "00", NOW));
        assertEquals(Map.of("syncs", n(1), "files_synced", n(42)), byKey.get("fleet day#2026-11-01#00"));
        assertEquals(2, byKey.size());
    }

    @Test
    void rewritesAndRemovalsOfStoredEventsCountNothing() {
        assertTrue(counting.count(syncEvent("MODIFY", "2026-11-01T08:00:00Z", "2026-11-01T08:00:01Z", "success", "x"),
                "00", NOW).updates().isEmpty());
        assertTrue(counting.count(syncEvent("REMOVE", "2026-11-01T08:00:00Z", "2026-11-01T08:00:01Z", "success", "x"),
                "00", NOW).updates().isEmpty());
    }

    @Test
    void countersAlreadyPastTheirExpiryAreNotWritten() {
        // device clock 50 days behind; received an hour ago
        Map<String, Map<String, BigDecimal>> byKey = byKey(counting.count(
                syncEvent("INSERT", "2026-09-12T08:00:00Z", "2026-11-01T08:00:00Z", "success", null), "00", NOW));
        assertEquals(List.of("fleet hour#2026-11-01T08#00"), List.copyOf(byKey.keySet()));
    }

    @Test
    void aDeviceWhoseStatusChangesMovesBetweenStatusCounters() {
        Map<String, Map<String, BigDecimal>> byKey = byKey(counting.count(
                device("MODIFY", Map.of("status", "healthy", "site", "north"), Map.of("status", "failing", "site", "north")),
                "03", NOW));
        assertEquals(Map.of(
                "fleet status#healthy#03", Map.of("devices", n(-1)),
                "site#north status#healthy#03", Map.of("devices", n(-1)),
                "fleet status#failing#03", Map.of("devices", n(1)),
                "site#north status#failing#03", Map.of("devices", n(1))), byKey);
    }

    @Test
    void aDeviceMovingSiteLeavesTheFleetCountAsItIs() {
        RecordCounters counted = counting.count(
                device("MODIFY", Map.of("status", "healthy", "site", "north"), Map.of("status", "healthy", "site", "south")),
                "03", NOW);
        Map<String, BigDecimal> net = counted.updates().stream().collect(Collectors.toMap(
                u -> u.key().scope() + " " + u.key().counter(), u -> u.add().get("devices"), BigDecimal::add));
        assertEquals(n(0), net.get("fleet status#healthy#03"));
        assertEquals(n(-1), net.get("site#north status#healthy#03"));
        assertEquals(n(1), net.get("site#south status#healthy#03"));
    }

    @Test
    void creatingAndDeletingADeviceOnlyAddsOrOnlyTakesAway() {
        assertEquals(Map.of("fleet status#never_synced#00", Map.of("devices", n(1))),
                byKey(counting.count(device("INSERT", null, Map.of("status", "never_synced")), "00", NOW)));
        assertEquals(Map.of("fleet status#decommissioned#00", Map.of("devices", n(-1)),
                        "site#x status#decommissioned#00", Map.of("devices", n(-1))),
                byKey(counting.count(device("REMOVE", Map.of("status", "decommissioned", "site", "x"), null), "00", NOW)));
    }

    @Test
    void deviceWritesThatChangeNeitherStatusNorSiteCountNothing() {
        assertTrue(counting.count(device("MODIFY", Map.of("status", "healthy", "last_key", "a"),
                Map.of("status", "healthy", "last_key", "b")), "00", NOW).updates().isEmpty());
    }

    @Test
    void theTableIsKnownByTheStreamArnOrElseByItsKeys() {
        assertEquals(FleetCounting.Source.SYNC_EVENTS, counting.sourceOf(syncEvent("INSERT", "2026-11-01T08:00:00Z",
                "2026-11-01T08:00:01Z", "success", null)));
        assertEquals(FleetCounting.Source.DEVICES, counting.sourceOf(device("INSERT", null, Map.of("status", "healthy"))));
        FleetCounting other = new FleetCounting("t1-sync-events", "t1-devices");
        assertEquals(FleetCounting.Source.SYNC_EVENTS, other.sourceOf(syncEvent("INSERT", "2026-11-01T08:00:00Z",
                "2026-11-01T08:00:01Z", "success", null)));
        assertEquals(FleetCounting.Source.DEVICES, other.sourceOf(device("INSERT", null, Map.of("status", "healthy"))));
    }

    @Test
    void anEventWithoutTimestampIsRefused() {
        DynamodbStreamRecord r = syncEvent("INSERT", "2026-11-01T08:00:00Z", "2026-11-01T08:00:01Z", "success", null);
        r.getDynamodb().getNewImage().remove("timestamp");
        assertThrows(IllegalArgumentException.class, () -> counting.count(r, "00", NOW));
    }

    @Test
    void aDeliveryIsNamedByItsStreamAndFirstRecordAndPicksOneOf16Shards() {
        DynamodbStreamRecord r = syncEvent("INSERT", "2026-11-01T08:00:00Z", "2026-11-01T08:00:01Z", "success", null);
        String id = FleetCounting.deliveryId(r);
        assertEquals(EVENTS_ARN + "#" + "0".repeat(37) + "101#ev-1", id);
        assertTrue(FleetCounting.counterShard(id).matches("0[0-9]|1[0-5]"));
    }

    @Test
    void anUploadItemCountsEachOfItsEventsWhenInsertedAndOnlyTheJoinedOnesWhenModified() {
        List<ReceivedSyncEvent> upload = List.of(uploaded("a", "2026-10-31T23:50:00Z", 0),
                uploaded("b", "2026-11-01T00:10:00Z", 3), uploaded("c", "2026-11-01T00:20:00Z", 0));
        Map<String, Map<String, BigDecimal>> inserted = byKey(counting.count(
                uploadRecord("INSERT", null, upload), "05", NOW));

        assertEquals(Map.of("syncs", n(1), "files_synced", n(5)), inserted.get("fleet day#2026-10-31#05"));
        assertEquals(Map.of("syncs", n(2), "failures", n(1), "files_synced", n(10)),
                inserted.get("site#west day#2026-11-01#05"));
        assertEquals(Map.of("syncs", n(3), "failures", n(1), "files_synced", n(15), "speed_sum", new BigDecimal("7.5"),
                "speed_count", n(3)), inserted.get("fleet hour#2026-11-01T08#05"));

        List<ReceivedSyncEvent> joined = new java.util.ArrayList<>(upload);
        joined.add(uploaded("late", "2026-11-01T00:15:00Z", 1));
        Map<String, Map<String, BigDecimal>> modified = byKey(counting.count(
                uploadRecord("MODIFY", upload, joined), "05", NOW));

        assertEquals(Map.of("syncs", n(1), "failures", n(1), "files_synced", n(5)),
                modified.get("fleet day#2026-11-01#05"), "only the event that joined");
        assertEquals(4, modified.size());
    }

    @Test
    void anErrorEntryIsACopyAndCountsNothing() {
        ReceivedSyncEvent failed = uploaded("b", "2026-11-01T00:10:00Z", 3);
        StreamRecord sr = new StreamRecord().withSequenceNumber("103")
                .withKeys(Map.of("device_id", s("pibook-0042"), "order_key", s("~" + failed.orderKey())))
                .withNewImage(lambdaImage(SyncEventItems.errorEntry(failed, "west", Duration.ofDays(90))));
        assertTrue(counting.count(record("INSERT", EVENTS_ARN, sr), "00", NOW).updates().isEmpty());
    }

    private static ReceivedSyncEvent uploaded(String id, String timestamp, long errors) {
        return new ReceivedSyncEvent(new SyncEvent("pibook-0042", id, Instant.parse(timestamp), null, 5, errors, 2.5,
                null, null, null, null, null), Instant.parse("2026-11-01T08:03:01Z"));
    }

    private static DynamodbStreamRecord uploadRecord(String eventName, List<ReceivedSyncEvent> before,
            List<ReceivedSyncEvent> after) {
        Map<String, AttributeValue> image = lambdaImage(SyncEventItems.uploadItem(after, "west", Duration.ofDays(90)));
        StreamRecord sr = new StreamRecord().withSequenceNumber("102")
                .withKeys(Map.of("device_id", image.get("device_id"), "order_key", image.get("order_key")))
                .withNewImage(image);
        if (before != null) {
            sr.setOldImage(lambdaImage(SyncEventItems.uploadItem(before, "west", Duration.ofDays(90))));
        }
        return record(eventName, EVENTS_ARN, sr);
    }

    /** An item as the stream delivers it to Lambda. */
    private static Map<String, AttributeValue> lambdaImage(
            Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        Map<String, AttributeValue> image = new HashMap<>();
        item.forEach((name, v) -> image.put(name, v.s() != null ? s(v.s()) : v.n() != null
                ? new AttributeValue().withN(v.n()) : new AttributeValue().withB(v.b().asByteBuffer())));
        return image;
    }

    private static Map<String, Map<String, BigDecimal>> byKey(RecordCounters counted) {
        Map<String, Map<String, BigDecimal>> byKey = new HashMap<>();
        for (CounterUpdate u : counted.updates()) {
            byKey.merge(u.key().scope() + " " + u.key().counter(), u.add(), (a, b) -> {
                throw new AssertionError("counter twice: " + u.key());
            });
        }
        return byKey;
    }

    private static DynamodbStreamRecord syncEvent(String eventName, String timestamp, String receivedAt, String outcome,
            String site) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("device_id", s("pibook-0042"));
        item.put("order_key", s("t1793520180000#e1"));
        item.put("timestamp", s(timestamp));
        item.put("received_at", s(receivedAt));
        item.put("total_files_synced", new AttributeValue().withN("42"));
        item.put("total_errors", new AttributeValue().withN("failed".equals(outcome) ? "2" : "0"));
        item.put("internet_speed", new AttributeValue().withN("12.5"));
        item.put("outcome", s(outcome));
        if (site != null) {
            item.put("site", s(site));
        }
        StreamRecord sr = new StreamRecord().withSequenceNumber("101")
                .withKeys(Map.of("device_id", s("pibook-0042"), "order_key", s("t1793520180000#e1")));
        if (!"REMOVE".equals(eventName)) {
            sr.setNewImage(item);
        }
        if (!"INSERT".equals(eventName)) {
            sr.setOldImage(new HashMap<>(item));
        }
        return record(eventName, EVENTS_ARN, sr);
    }

    private static DynamodbStreamRecord device(String eventName, Map<String, String> before, Map<String, String> after) {
        StreamRecord sr = new StreamRecord().withSequenceNumber("202").withKeys(Map.of("device_id", s("pibox-0007")));
        if (before != null) {
            sr.setOldImage(image(before));
        }
        if (after != null) {
            sr.setNewImage(image(after));
        }
        return record(eventName, DEVICES_ARN, sr);
    }

    private static DynamodbStreamRecord record(String eventName, String arn, StreamRecord sr) {
        DynamodbStreamRecord r = new DynamodbStreamRecord();
        r.setEventID("ev-1");
        r.setEventName(eventName);
        r.setEventSourceARN(arn);
        r.setDynamodb(sr);
        return r;
    }

    private static Map<String, AttributeValue> image(Map<String, String> attributes) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("device_id", s("pibox-0007"));
        attributes.forEach((k, v) -> item.put(k, s(v)));
        return item;
    }

    private static AttributeValue s(String v) {
        return new AttributeValue().withS(v);
    }

    private static BigDecimal n(int v) {
        return BigDecimal.valueOf(v);
    }
}
