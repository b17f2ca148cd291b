package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SyncUploadParserTest {

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

    private static final String VALID = "{'device_id':'pibook-1','timestamp':'2026-11-01T08:03:00Z',"
            + "'total_files_synced':12,'total_errors':0,'internet_speed':4.5}";

    @Test
    void singleValidEventIsAcceptedWithDerivedIdAndUtcTimestamp() {
        SyncUpload upload = parser.parse(json(VALID));
        assertEquals(1, upload.accepted().size());
        SyncEvent e = upload.accepted().get(0);
        assertEquals("pibook-1", e.deviceId());
        assertEquals(Instant.parse("2026-11-01T08:03:00Z"), e.timestamp());
        assertEquals(32, e.eventId().length());
        assertEquals(Outcome.SUCCESS, e.outcome());
        assertTrue(upload.rejected().isEmpty());
    }

    @Test
    void derivedIdIgnoresTheOffsetOfTheSameInstantAndUnknownFields() {
        String a = VALID;
        String b = "{'device_id':'pibook-1','timestamp':'2026-11-01T13:33:00+05:30','total_files_synced':12,"
                + "'total_errors':0,'internet_speed':4.50,'firmware':'1.2'}";
        assertEquals(parser.parse(json(a)).accepted().get(0).eventId(),
                parser.parse(json(b)).accepted().get(0).eventId());
    }

    @Test
    void derivedIdChangesWithAnyField() {
        String other = VALID.replace("'total_errors':0", "'total_errors':1");
        assertNotEquals(parser.parse(json(VALID)).accepted().get(0).eventId(),
                parser.parse(json(other)).accepted().get(0).eventId());
        String withSeq = VALID.replace("{", "{'seq':7,");
        assertNotEquals(parser.parse(json(VALID)).accepted().get(0).eventId(),
                parser.parse(json(withSeq)).accepted().get(0).eventId());
    }

    @Test
    void suppliedEventIdIsKept() {
        SyncEvent e = parser.parse(json(VALID.replace("{", "{'event_id':'e-1',"))).accepted().get(0);
        assertEquals("e-1", e.eventId());
    }

    @ParameterizedTest(name = "{0} = {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "device_id|null|is required",
        "device_id|\"\"|must be 1–64 characters long",
        "device_id|\"has space\"|must be 1–64 ASCII characters of A–Z, a–z, 0–9, '.', '_', ':' or '-' (U+0020 SPACE at position 4)",
        "device_id|7|must be a string",
        "event_id|\"\"|must be 1–64 characters long",
        "timestamp|null|is required",
        "timestamp|\"2026-11-01T08:03:00\"|must be an ISO-8601 date-time with a UTC offset, e.g. 2026-11-01T08:03:00Z",
        "timestamp|\"2026-11-23T12:00:01Z\"|must not be more than 24 hours ahead of the server clock",
        "timestamp|\"1969-12-31T23:59:59Z\"|must not be before 1970-01-01T00:00:00Z",
        "seq|-1|must be ≥ 0",
        "seq|1.5|must be an integer",
        "total_files_synced|null|is required",
        "total_files_synced|\"12\"|must be an integer",
        "total_errors|-3|must be ≥ 0",
        "internet_speed|-0.5|must be ≥ 0",
        "internet_speed|\"fast\"|must be a number",
        "error_code|\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"|must be 1–64 characters long",
        "pending_files|-1|must be ≥ 0",
        "command_id|5|must be a string",
    })
    void eachFieldRuleIsEnforcedWithItsPath(String field, String value, String message) {
        JsonNode body = json(VALID);
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).set(field, json(value));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(body));
        assertEquals(List.of(new FieldError(field, message)), e.errors());
    }

    @Test
    void timestampExactly24HoursAheadIsAccepted() {
        String ahead = VALID.replace("2026-11-01T08:03:00Z", "2026-11-23T12:00:00Z");
        assertEquals(1, parser.parse(json(ahead)).accepted().size());
    }

    @Test
    void integralFloatIsAnInteger() {
        SyncEvent e = parser.parse(json(VALID.replace("'total_files_synced':12", "'total_files_synced':12.0")))
                .accepted().get(0);
        assertEquals(12, e.totalFilesSynced());
        assertNull(e.seq());
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> parser.parse(json("{'device_id':'d','total_errors':-1}")));
        assertEquals(List.of("timestamp", "total_files_synced", "total_errors", "internet_speed"),
                e.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void batchAcceptsValidEventsAndRejectsOthersByIndex() {
        String bad = VALID.replace("'total_errors':0", "'total_errors':-1");
        SyncUpload upload = parser.parse(json("{'events':[" + VALID + "," + bad + ",5]}"));
        assertEquals(1, upload.accepted().size());
        assertEquals(2, upload.rejected().size());
        assertEquals(1, upload.rejected().get(0).index());
        assertEquals(List.of(new FieldError("events[1].total_errors", "must be ≥ 0")), upload.rejected().get(0).errors());
        assertEquals(List.of(new FieldError("events[2]", "must be a JSON object")), upload.rejected().get(1).errors());
    }

    @Test
    void batchWithNoValidEventIsRefusedAsAWhole() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> parser.parse(json("{'events':[{'device_id':'d'}]}")));
        assertTrue(e.errors().stream().allMatch(f -> f.field().startsWith("events[0].")));
    }

    @Test
    void batchSizeMustBeOneTo500() {
        assertThrows(InvalidRequestException.class, () -> parser.parse(json("{'events':[]}")));
        assertThrows(InvalidRequestException.class, () -> parser.parse(json("{'events':{}}")));
        assertEquals(500, parser.parse(json(batchOf(500))).accepted().size());
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(json(batchOf(501))));
        assertEquals("events", e.errors().get(0).field());
    }

    private static String batchOf(int n) {
        return "{'events':[" + String.join(",", java.util.Collections.nCopies(n, VALID)) + "]}";
    }

    @Test
    void eventIdReusedInOneUploadForOtherContentIsRejectedWithItsIndex() {
        String first = VALID.replace("{", "{'event_id':'attempt-7',");
        String other = first.replace("'total_errors':0", "'total_errors':2");
        SyncUpload upload = parser.parse(json("{'events':[" + first + "," + VALID + "," + other + "]}"));
        assertEquals(2, upload.accepted().size());
        assertEquals(1, upload.rejected().size());
        assertEquals(2, upload.rejected().get(0).index());
        assertEquals("events[2].event_id", upload.rejected().get(0).errors().get(0).field());
    }

    @Test
    void identicalEventRepeatedInOneUploadIsAcceptedBothTimes() {
        String withId = VALID.replace("{", "{'event_id':'attempt-7',");
        SyncUpload upload = parser.parse(json("{'events':[" + withId + "," + withId + "," + VALID + "," + VALID + "]}"));
        assertEquals(4, upload.accepted().size());
        assertTrue(upload.rejected().isEmpty());
    }

    @Test
    void bodyMustBeAnObject() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(json("[1]")));
        assertEquals("body", e.errors().get(0).field());
    }
}
