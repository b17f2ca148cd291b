package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Device clocks, time zones, sequence numbers and device ids at their edges: the defined behaviour
 * of docs/reliability.md "Clock and identity edge cases", case by case.
 */
class ClockAndIdentityEdgesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");
    private final SyncUploadParser parser = new SyncUploadParser(Clock.fixed(NOW, ZoneOffset.UTC));

    private static JsonNode event(String deviceId, String timestamp) {
        return JSON.createObjectNode().put("device_id", deviceId).put("timestamp", timestamp)
                .put("total_files_synced", 3).put("total_errors", 0).put("internet_speed", 2.5);
    }

    private SyncEvent accepted(String deviceId, String timestamp) {
        return parser.parse(event(deviceId, timestamp)).accepted().get(0);
    }

    private List<FieldError> refused(JsonNode body) {
        return assertThrows(InvalidRequestException.class, () -> parser.parse(body)).errors();
    }

    // ---- device clocks -------------------------------------------------------------------------

    @Test
    void aClockAtTheEpochIsAcceptedAndOneSecondBeforeIsRefused() {
        assertEquals(Instant.EPOCH, accepted("pibook-1", "1970-01-01T00:00:00Z").timestamp());
        assertEquals(Instant.EPOCH, accepted("pibook-1", "1970-01-01T01:00:00+01:00").timestamp());
        List<FieldError> errors = refused(event("pibook-1", "1969-12-31T23:59:59Z"));
        assertEquals("timestamp", errors.get(0).field());
        assertTrue(errors.get(0).message().contains("1970"));
    }

    @Test
    void aClockUpTo24HoursAheadIsAcceptedAndFurtherIsRefused() {
        assertEquals(NOW.plusSeconds(86_400), accepted("pibook-1", "2026-11-02T09:00:00Z").timestamp());
        for (String ahead : List.of("2026-11-02T09:00:00.001Z", "2027-11-01T09:00:00Z", "9999-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z")) {
            List<FieldError> errors = refused(event("pibook-1", ahead));
            assertEquals("timestamp", errors.get(0).field(), ahead);
            assertTrue(errors.get(0).message().contains("24 hours"), ahead);
        }
    }

    @Test
    void anEpochEventOrdersBeforeEverythingWithoutSeqAndBySeqWithIt() {
        SyncEvent epoch = accepted("pibook-1", "1970-01-01T00:00:00Z");
        SyncEvent recent = accepted("pibook-1", "2026-11-01T08:00:00Z");
        assertTrue(recent.orderKey().compareTo(epoch.orderKey()) > 0);
        assertEquals("t0000000000000#" + epoch.eventId(), epoch.orderKey());
        // With seq, the clock does not order: seq 7 at 1970 is after seq 6 now.
        SyncEvent seq6 = withSeq(recent, 6);
        SyncEvent seq7 = withSeq(epoch, 7);
        assertTrue(seq7.orderKey().compareTo(seq6.orderKey()) > 0);
    }

    @Test
    void theLatestAcceptableClockStillFitsTheOrderKey() {
        // 13 digits of epoch ms last until 2286; the 24 h rule keeps every accepted timestamp far below.
        SyncEvent e = accepted("pibook-1", "2026-11-02T09:00:00Z");
        assertEquals(1 + 13 + 1 + 32, e.orderKey().length());
    }

    // ---- time zones and formats ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-01T08:03:00Z", "2026-11-01T08:03:00+00:00", "2026-11-01T08:03:00-00:00",
        "2026-11-01T13:33:00+05:30", "2026-10-31T20:03:00-12:00", "2026-11-01T22:03:00+14:00",
        "2026-11-01T08:03:00.000Z", "2026-11-01T08:03:00.000000000Z", "2026-11-01t08:03:00z",
        "2026-11-01T08:03Z", "2026-11-01T13:03:00+05"})
    void theSameInstantWithAnyOffsetOrPrecisionIsTheSameEvent(String timestamp) {
        SyncEvent reference = accepted("pibook-1", "2026-11-01T08:03:00Z");
        SyncEvent e = accepted("pibook-1", timestamp);
        assertEquals(Instant.parse("2026-11-01T08:03:00Z"), e.timestamp());
        assertEquals(reference.eventId(), e.eventId());
        assertEquals(reference.orderKey(), e.orderKey());
    }

    @Test
    void fractionalSecondsAreKeptToTheNanosecondAndMakeDistinctEvents() {
        SyncEvent nanos = accepted("pibook-1", "2026-11-01T08:03:00.123456789Z");
        assertEquals(Instant.parse("2026-11-01T08:03:00.123456789Z"), nanos.timestamp());
        assertNotEquals(accepted("pibook-1", "2026-11-01T08:03:00.123Z").eventId(), nanos.eventId());
    }

    @ParameterizedTest
    @CsvSource({"2016-12-31T23:59:60Z, 2016-12-31T23:59:59Z", "2016-12-31T23:59:60.5Z, 2016-12-31T23:59:59.5Z",
        "2017-01-01T05:29:60+05:30, 2016-12-31T23:59:59Z", "2016-12-31T11:59:60-12:00, 2016-12-31T23:59:59Z"})
    void aLeapSecondIsReadAsTheLastSecondOfTheUtcDay(String leap, String instant) {
        SyncEvent e = accepted("pibook-1", leap);
        assertEquals(Instant.parse(instant), e.timestamp());
        // Same instant, same event: the leap second written in UTC or with an offset is one event.
        assertEquals(accepted("pibook-1", "2016-12-31T23:59:60" + (leap.contains(".5") ? ".5" : "") + "Z").eventId(),
                e.eventId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-01T08:03:60Z", "2026-11-01T23:59:61Z", "2026-11-01T08:03:00",
        "2026-11-01 08:03:00Z", "2026-11-01T08:03:00+0530", "2026-11-01T08:03:00+18:30",
        "2026-11-01T08:03:00.1234567891Z", "2026-11-01T08:03:00,5Z", "2026-11-01T08:03:00Z[Europe/Paris]",
        "2026-11-01T24:00:00Z", "2026-02-29T08:00:00Z", "1793520180", "2026-11-01"})
    void timestampsWithoutAnOffsetOrOutOfRangeAreRefusedNamingTimestamp(String timestamp) {
        List<FieldError> errors = refused(event("pibook-1", timestamp));
        assertEquals("timestamp", errors.get(0).field(), timestamp);
    }

    // ---- seq -----------------------------------------------------------------------------------

    @Test
    void duplicateSeqWithDifferentContentIsTwoEventsOrderedByEventId() {
        SyncEvent a = withSeq(accepted("pibook-1", "2026-11-01T08:00:00Z"), 5);
        SyncEvent b = withSeq(accepted("pibook-1", "2026-11-01T08:01:00Z"), 5);
        assertNotEquals(a.eventId(), b.eventId());
        assertNotEquals(a.orderKey(), b.orderKey());
        SyncEvent later = a.eventId().compareTo(b.eventId()) > 0 ? a : b;
        for (List<SyncEvent> arrival : List.of(List.of(a, b), List.of(b, a))) {
            DeviceState s = apply(DeviceState.initial("pibook-1"), arrival);
            assertEquals(2, s.totalSyncs());
            assertEquals(later.orderKey(), s.lastKey());
        }
    }

    @Test
    void aSeqResetNeverRewindsTheDeviceAndKeepsEveryEvent() {
        // Before the reset: seq 100 success, 101 and 102 failed.
        SyncEvent s100 = seqEvent(100, "2026-11-01T08:00:00Z", false);
        SyncEvent s101 = seqEvent(101, "2026-11-01T08:01:00Z", true);
        SyncEvent s102 = seqEvent(102, "2026-11-01T08:02:00Z", true);
        DeviceState before = apply(DeviceState.initial("pibook-1"), List.of(s100, s101, s102));
        assertEquals(2, before.streak().failures());
        // After a factory reset the counter starts again at 0, with newer timestamps.
        SyncEvent r0 = seqEvent(0, "2026-11-01T08:10:00Z", false);
        SyncEvent r1 = seqEvent(1, "2026-11-01T08:11:00Z", true);
        DeviceState after = apply(before, List.of(r0, r1));
        assertEquals(5, after.totalSyncs()); // every event counted
        assertEquals(3, after.totalFailures());
        assertEquals(s102.orderKey(), after.lastKey()); // seq orders: 0 and 1 sort before 100..102
        assertEquals(s102.timestamp(), after.lastAttemptAt());
        assertEquals(2, after.streak().failures()); // the streak after seq 100 is untouched
        // Once the new counter passes the old maximum, the device advances again.
        SyncEvent r103 = seqEvent(103, "2026-11-01T09:00:00Z", false);
        DeviceState caughtUp = apply(after, List.of(r103));
        assertEquals(r103.orderKey(), caughtUp.lastKey());
        assertEquals(0, caughtUp.streak().failures());
    }

    private SyncEvent seqEvent(long seq, String timestamp, boolean failed) {
        JsonNode n = event("pibook-1", timestamp);
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("seq", seq).put("total_errors", failed ? 1 : 0);
        return parser.parse(n).accepted().get(0);
    }

    private static SyncEvent withSeq(SyncEvent e, long seq) {
        SyncEvent s = new SyncEvent(e.deviceId(), "", e.timestamp(), seq, e.totalFilesSynced(), e.totalErrors(),
                e.internetSpeed(), e.errorCode(), e.errorMessage(), e.pendingFiles(), e.commandId());
        return new SyncEvent(s.deviceId(), EventIds.derive(s), s.timestamp(), seq, s.totalFilesSynced(),
                s.totalErrors(), s.internetSpeed(), s.errorCode(), s.errorMessage(), s.pendingFiles(), s.commandId());
    }

    private static DeviceState apply(DeviceState before, List<SyncEvent> events) {
        List<ReceivedSyncEvent> received = new ArrayList<>();
        events.forEach(e -> received.add(new ReceivedSyncEvent(e, NOW)));
        StreakLookup none = key -> FailureStreak.NONE;
        return new DeviceStateUpdater(3).apply(before, received, "s", none, NOW).state();
    }

    // ---- device ids ----------------------------------------------------------------------------

    @Test
    void deviceIdsAreCaseSensitive() {
        SyncEvent lower = accepted("pibook-1", "2026-11-01T08:03:00Z");
        SyncEvent upper = accepted("PIBOOK-1", "2026-11-01T08:03:00Z");
        assertEquals("PIBOOK-1", upper.deviceId());
        assertNotEquals(lower.eventId(), upper.eventId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pib\u043eok-1|U+043E CYRILLIC SMALL LETTER O at position 4",
        "\u0430bc|U+0430 CYRILLIC SMALL LETTER A at position 1",
        "pibook-\uff11|U+FF11 FULLWIDTH DIGIT ONE at position 8",
        "pibook-1\u200b|U+200B ZERO WIDTH SPACE at position 9",
        "\ufeffpibook-1|U+FEFF ZERO WIDTH NO-BREAK SPACE at position 1",
        "caf\u00e9|U+00E9 LATIN SMALL LETTER E WITH ACUTE at position 4",
        "cafe\u0301|U+0301 COMBINING ACUTE ACCENT at position 5",
        "pibook 1|U+0020 SPACE at position 7",
        "pi\ud83d\ude00|U+1F600 GRINNING FACE at position 3"})
    void lookAlikeDeviceIdsAreRefusedNamingTheCharacter(String id, String named) {
        List<FieldError> errors = refused(event(id, "2026-11-01T08:03:00Z"));
        assertEquals("device_id", errors.get(0).field());
        assertTrue(errors.get(0).message().startsWith(DeviceId.RULE), errors.get(0).message());
        assertTrue(errors.get(0).message().contains(named), errors.get(0).message());
    }

    @Test
    void nfcAndNfdFormsAreBothRefusedNotNormalised() {
        String nfc = java.text.Normalizer.normalize("caf\u00e9", java.text.Normalizer.Form.NFC);
        String nfd = java.text.Normalizer.normalize("caf\u00e9", java.text.Normalizer.Form.NFD);
        assertEquals("device_id", refused(event(nfc, "2026-11-01T08:03:00Z")).get(0).field());
        assertEquals("device_id", refused(event(nfd, "2026-11-01T08:03:00Z")).get(0).field());
    }

    @Test
    void aBatchRejectsOnlyTheEventWithTheLookAlikeId() {
        var body = JSON.createObjectNode();
        body.putArray("events").add(event("pibook-1", "2026-11-01T08:03:00Z")).add(event("pib\u043eok-1",
                "2026-11-01T08:04:00Z"));
        SyncUpload upload = parser.parse(body);
        assertEquals(1, upload.accepted().size());
        assertEquals(1, upload.rejected().get(0).index());
        assertEquals("events[1].device_id", upload.rejected().get(0).errors().get(0).field());
    }

    // ---- text ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\udc00b", "x\ufffe", "\uffff", "\udc00\ud800"})
    void textThatIsNotUnicodeIsRefusedNamingTheField(String bad) {
        JsonNode n = event("pibook-1", "2026-11-01T08:03:00Z");
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("error_message", bad).put("event_id", "e" + bad);
        List<FieldError> errors = refused(n);
        assertEquals(List.of("event_id", "error_message"), errors.stream().map(FieldError::field).toList());
        assertEquals(UnicodeText.RULE, errors.get(0).message());
    }

    @Test
    void emojiZeroWidthAndControlCharactersInTextAreKept() {
        JsonNode n = event("pibook-1", "2026-11-01T08:03:00Z");
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("error_message", "disk \ud83d\udcbe\u200b\u0000 full");
        assertEquals("disk \ud83d\udcbe\u200b\u0000 full", parser.parse(n).accepted().get(0).errorMessage());
    }
}
