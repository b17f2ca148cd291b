package com.pisync.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceState;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.Outcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The device item's compact forms read back as what was written, and items written before them still read. */
class DeviceItemsTest {

    @Test
    void orderKeysAreStoredWithoutTheirPaddingAndReadBackWhole() {
        for (String key : new String[] {"q0000000000000000057#tablet-7-57", "q0000000000000000000#x",
                "q1234567890123456789#x", "t1796664465851#ev-1", "t0000000000000#a#b", "q0000000000000000010#"}) {
            String stored = DeviceItems.compactKey(key);
            assertEquals(key, DeviceItems.expandKey(stored), stored);
            assertEquals(key, DeviceItems.expandKey(key), "a padded key (items written before) reads the same");
        }
        assertEquals("q57#tablet-7-57", DeviceItems.compactKey("q0000000000000000057#tablet-7-57"));
        assertEquals("q0#x", DeviceItems.compactKey("q0000000000000000000#x"), "zero keeps one digit");
    }

    @Test
    void theNewestSuccessIsNotStoredTwiceYetReadsBack() {
        String key = "q0000000000000000042#e-42";
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        DeviceState s = new DeviceState("d-1", key, at, Outcome.SUCCESS, key, at, "q0000000000000000040#e-40",
                at.minusSeconds(60), "boom", "E_X", FailureStreak.NONE, 42, 3, 0L, at, null, null);
        Map<String, AttributeValue> item = new HashMap<>(Map.of(DeviceItems.DEVICE_ID, AttributeValue.fromS("d-1")));
        DeviceItems.stateAttributes(s).forEach((name, value) -> {
            if (value != null) {
                item.put(name, value);
            }
        });
        assertNull(item.get(DeviceItems.LAST_SUCCESS_KEY));
        assertNull(item.get(DeviceItems.LAST_SYNC_AT));
        assertEquals("q42#e-42", item.get(DeviceItems.LAST_KEY).s());
        item.put(DeviceItems.INFLIGHT, DeviceItems.inflightValue(Set.of(key, "q0000000000000000041#e-41")));

        DeviceRecord read = DeviceItems.fromItem("d-1", item);
        assertEquals(s, read.state());
        assertEquals(Set.of(key, "q0000000000000000041#e-41"), read.inflight());
    }

    /** The item as a commit writes it (null values are removals), read back. */
    private static DeviceRecord roundTrip(DeviceState s, Map<String, AttributeValue> written) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(DeviceItems.DEVICE_ID, AttributeValue.fromS(s.deviceId())));
        DeviceItems.stateAttributes(s).forEach((name, value) -> {
            if (value != null) {
                item.put(name, value);
            }
        });
        written.putAll(item);
        return DeviceItems.fromItem(s.deviceId(), item);
    }

    private static DeviceState failing(Instant at, String deviceError, Alert open) {
        String key = "q0000000000000000042#e-42";
        return new DeviceState("d-1", key, at, Outcome.FAILED, "q0000000000000000038#e-38", at.minusSeconds(600), key, at,
                deviceError, "E_X", new FailureStreak(4, "q0000000000000000039#e-39", at.minusSeconds(300)), 42, 9, 3L,
                at.plusMillis(7), open, at.minusSeconds(900));
    }

    @Test
    void theOpenAlertsCopyLeavesOutWhatTheDeviceSaysAndReadsBackWhole() {
        Instant at = Instant.parse("2026-12-07T10:00:00.123Z");
        Alert open = new Alert("alr_1", "d-1", "north", AlertState.OPEN, 4, at.minusSeconds(300),
                Instant.parse("2026-12-07T10:00:01.123456789Z"), null, "disk full", null);
        Map<String, AttributeValue> item = new HashMap<>();
        DeviceState s = failing(at, "disk full", open);
        assertEquals(s, roundTrip(s, item).state());
        Map<String, AttributeValue> copy = item.get(DeviceItems.OPEN_ALERT).m();
        assertEquals(Set.of(AlertItems.ALERT_ID, AlertItems.SITE, AlertItems.OPENED_AT), copy.keySet(),
                "streak start, failures and last error are the device's own");
    }

    @Test
    void anOpenAlertThatDiffersFromTheDeviceKeepsItsOwnValues() {
        Instant at = Instant.parse("2026-12-07T10:00:00.123Z");
        for (String alertError : new String[] {"timeout", null}) {
            Alert open = new Alert("alr_2", "d-1", "north", AlertState.OPEN, 3, at.minusSeconds(400),
                    at.minusSeconds(200), null, alertError, null);
            Map<String, AttributeValue> item = new HashMap<>();
            DeviceState s = failing(at, "disk full", open);
            assertEquals(s, roundTrip(s, item).state(), "alert error " + alertError);
            Map<String, AttributeValue> copy = item.get(DeviceItems.OPEN_ALERT).m();
            assertEquals(Set.of(AlertItems.ALERT_ID, AlertItems.SITE, AlertItems.OPENED_AT, AlertItems.STREAK_STARTED_AT,
                    AlertItems.CONSECUTIVE_FAILURES, AlertItems.LAST_ERROR), copy.keySet());
        }
    }

    @Test
    void timesAreStoredAsEpochMillisWhenThatIsExactAndReadBackEitherWay() {
        Instant millis = Instant.parse("2026-12-07T10:00:00.123Z");
        Instant nanos = Instant.parse("2026-12-07T10:00:00.123456789Z");
        Map<String, AttributeValue> item = new HashMap<>();
        DeviceState s = failing(millis, "disk full", null);
        assertEquals(s, roundTrip(s, item).state());
        assertEquals(Long.toString(millis.toEpochMilli()), item.get(DeviceItems.LAST_ATTEMPT_AT).n());
        assertEquals(nanos, AttributeValues.instant(Map.of("t", AttributeValues.compactTime(nanos)), "t"));
        assertEquals(nanos.toString(), AttributeValues.compactTime(nanos).s(), "finer than a millisecond: ISO-8601");
        assertEquals(millis, AttributeValues.instant(Map.of("t", AttributeValue.fromS(millis.toString())), "t"),
                "items written before read the same");
    }

    @Test
    void anOutboxEntryReadsBackAsTheTransitionItsCommitWroteWithItsLease() {
        Instant at = Instant.parse("2026-12-07T10:00:00.123Z");
        Alert resolved = new Alert("alr_3", "d-1", "north", AlertState.RESOLVED, 5, at.minusSeconds(400),
                at.minusSeconds(200), at, "timeout", null);
        AlertTransition t = new AlertTransition(AlertTransition.Kind.RECOVERED, resolved);
        var lease = new com.pisync.aws.ports.DeviceCommits.OutboxLease("holder-1", at.plusSeconds(60).toEpochMilli());
        String name = DeviceItems.outboxAttribute(7, 0, t);
        Map<String, AttributeValue> item = new HashMap<>(Map.of(DeviceItems.DEVICE_ID, AttributeValue.fromS("d-1"),
                name, DeviceItems.outboxEntry(t, lease)));

        DeviceRecord.OutboxEntry read = DeviceItems.fromItem("d-1", item).outbox().get(0);
        assertEquals(new DeviceRecord.OutboxEntry(name, t, "holder-1", lease.until()), read);
        Map<String, AttributeValue> stored = item.get(name).m().get(DeviceItems.OUTBOX_ALERT).m();
        assertNull(stored.get(AlertItems.DEVICE_ID), "the item's own");
        assertEquals(Long.toString(at.toEpochMilli()), stored.get(AlertItems.RESOLVED_AT).n());
    }
}
