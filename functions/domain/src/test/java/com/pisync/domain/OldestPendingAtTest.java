package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract v1.1: the event field {@code oldest_pending_at} and the device's data at risk. */
class OldestPendingAtTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final SyncUploadParser parser = new SyncUploadParser(Clock.fixed(NOW, ZoneOffset.UTC));

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String event(String extra) {
        return "{'device_id':'pibook-1','timestamp':'2026-11-01T08:03:00Z','total_files_synced':12,"
                + "'total_errors':0,'internet_speed':4.5" + extra + "}";
    }

    @Test
    void isReadWithAnyOffsetAndStoredInUtc() {
        SyncEvent e = parser.parse(json(event(",'pending_files':3,'oldest_pending_at':'2026-11-01T09:00:00+02:00'")))
                .accepted().get(0);
        assertEquals(Instant.parse("2026-11-01T07:00:00Z"), e.oldestPendingAt());
        assertNull(parser.parse(json(event(""))).accepted().get(0).oldestPendingAt());
    }

    @Test
    void mayEqualTheTimestampButNotBeAfterIt() {
        assertEquals(Instant.parse("2026-11-01T08:03:00Z"),
                parser.parse(json(event(",'oldest_pending_at':'2026-11-01T08:03:00Z'"))).accepted().get(0).oldestPendingAt());
        InvalidRequestException after = assertThrows(InvalidRequestException.class,
                () -> parser.parse(json(event(",'oldest_pending_at':'2026-11-01T08:03:01Z'"))));
        assertEquals("oldest_pending_at", after.errors().get(0).field());
    }

    @Test
    void badValuesAreRejectedNamingTheFieldWithItsPath() {
        for (String bad : List.of("'yesterday'", "'2026-11-01T08:00:00'", "12", "'1969-12-31T23:59:59Z'", "''")) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> parser.parse(json(event(",'oldest_pending_at':" + bad))), bad);
            assertEquals("oldest_pending_at", e.errors().get(0).field(), bad);
        }
        SyncUpload upload = parser.parse(json("{'events':[" + event("") + ","
                + event(",'oldest_pending_at':'2027-01-01T00:00:00Z'").replace("08:03", "08:04") + "]}"));
        assertEquals(1, upload.accepted().size());
        assertEquals("events[1].oldest_pending_at", upload.rejected().get(0).errors().get(0).field());
    }

    @Test
    void takesPartInTheDerivedIdOnlyWhenPresent() {
        String plain = parser.parse(json(event(""))).accepted().get(0).eventId();
        String with = parser.parse(json(event(",'oldest_pending_at':'2026-11-01T07:00:00Z'"))).accepted().get(0).eventId();
        String sameInstant = parser.parse(json(event(",'oldest_pending_at':'2026-11-01T08:00:00+01:00'"))).accepted()
                .get(0).eventId();
        assertNotEquals(plain, with);
        assertEquals(with, sameInstant);
        // Ids derived before v1.1 are unchanged: the field is not encoded when absent.
        SyncEvent e = parser.parse(json(event(""))).accepted().get(0);
        assertEquals(EventIds.derive(new SyncEvent(e.deviceId(), "", e.timestamp(), e.seq(), e.totalFilesSynced(),
                e.totalErrors(), e.internetSpeed(), e.errorCode(), e.errorMessage(), e.pendingFiles(), e.commandId())),
                plain);
    }

    @Test
    void deviceTakesItFromItsNewestEventInDeviceOrderAndIsAtRiskOnlyWithPendingFiles() {
        DeviceStateUpdater updater = new DeviceStateUpdater(3);
        Instant t = Instant.parse("2026-11-01T08:00:00Z");
        SyncEvent newer = new SyncEvent("d", "b", t.plusSeconds(60), 2L, 1, 0, 1, null, null, 5L, null,
                t.minusSeconds(3600));
        SyncEvent older = new SyncEvent("d", "a", t, 1L, 1, 0, 1, null, null, 9L, null, t.minusSeconds(7200));
        // Arriving newest first: the late older event does not rewind it.
        DeviceState s = updater.apply(DeviceState.initial("d"), List.of(new ReceivedSyncEvent(newer, NOW)), null,
                key -> FailureStreak.NONE, NOW).state();
        s = updater.apply(s, List.of(new ReceivedSyncEvent(older, NOW)), null, key -> FailureStreak.NONE, NOW).state();
        assertEquals(t.minusSeconds(3600), s.oldestPendingAt());
        assertEquals(t.minusSeconds(3600), s.dataAtRiskSince());
        SyncEvent drained = new SyncEvent("d", "c", t.plusSeconds(120), 3L, 1, 0, 1, null, null, 0L, null,
                t.minusSeconds(60));
        s = updater.apply(s, List.of(new ReceivedSyncEvent(drained, NOW)), null, key -> FailureStreak.NONE, NOW).state();
        assertEquals(t.minusSeconds(60), s.oldestPendingAt());
        assertNull(s.dataAtRiskSince(), "nothing pending: nothing at risk");
    }
}
