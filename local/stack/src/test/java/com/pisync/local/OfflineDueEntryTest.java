package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.dynamodb.DeviceIndexes;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.sweeper.OfflineSweep;
import com.pisync.sweeper.SweepResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The offline-due entry of a device that syncs through the day: its syncs leave the entry at its first hour (no
 * index write per sync); the sweeper, finding it there once that hour has passed, reads the device, sees it synced
 * since and moves the entry to the hour it is really due — and marks it offline only then.
 */
class OfflineDueEntryTest {

    private final Pipeline p = new Pipeline();

    private void syncAt(String device, Instant at) {
        p.clock.set(at);
        APIGatewayV2HTTPResponse r = p.stack.call("POST", "/v1/sync-events", "{\"device_id\":\"" + device
                + "\",\"timestamp\":\"" + at + "\",\"total_files_synced\":3,\"total_errors\":0,\"internet_speed\":2.5}");
        assertEquals(202, r.getStatusCode(), r.getBody());
        assertEquals(0, p.drain());
    }

    private String storedHour(String device) {
        var item = p.dynamo.getItem(g -> g.tableName(p.config.devicesTable()).key(DeviceItems.key(device))
                .consistentRead(true)).item();
        var hour = item.get(DeviceIndexes.OFFLINE_HOUR);
        return hour == null ? null : hour.s();
    }

    private String offlineAt(String device) {
        return p.stack.json("GET", "/v1/devices/" + device, null, 200).get("offline_at").asText();
    }

    @Test
    void syncsLeaveTheEntryEarlyAndTheSweeperMovesItToWhenTheDeviceIsDue() {
        String id = "pibook-due-1";
        p.stack.json("POST", "/v1/devices", "{\"device_id\":\"" + id + "\",\"name\":\"Tablet\",\"type\":\"PiBook\","
                + "\"site\":\"school-due\"}", 201);
        syncAt(id, Instant.parse("2026-11-02T08:10:00Z"));
        assertEquals("2026-11-03T08:00:00Z", storedHour(id), "24 h of silence from the first sync, to the hour");

        syncAt(id, Instant.parse("2026-11-02T11:20:00Z"));
        assertEquals("2026-11-03T11:20:00Z", offlineAt(id));
        assertEquals("2026-11-03T08:00:00Z", storedHour(id), "a later sync leaves the entry where it was");

        OfflineSweep sweep = new OfflineSweep(p.dynamo, new DeviceStore(p.dynamo, p.config.devicesTable()), p.config,
                p.clock);
        SweepResult early = sweep.sweep(Instant.parse("2026-11-03T09:30:00Z"), () -> Long.MAX_VALUE);
        assertEquals(0, early.markedOffline(), early.fields().toString());
        assertEquals("2026-11-03T11:00:00Z", storedHour(id), "moved to the hour the device is due");
        assertEquals(0, sweep.sweep(Instant.parse("2026-11-03T10:30:00Z"), () -> Long.MAX_VALUE).checked(),
                "not looked at again before that hour");

        SweepResult due = sweep.sweep(Instant.parse("2026-11-03T12:30:00Z"), () -> Long.MAX_VALUE);
        assertEquals(1, due.markedOffline(), due.fields().toString());
        p.clock.set(Instant.parse("2026-11-03T12:30:00Z"));
        assertEquals("offline", p.stack.json("GET", "/v1/devices/" + id, null, 200).get("status").asText());
    }
}
