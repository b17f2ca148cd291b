package com.pisync.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
