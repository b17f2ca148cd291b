package com.pisync.aws.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log line and the EMF document, as CloudWatch reads them. */
class SeamsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void logLineIsOneJsonObjectWithTheStandardFieldsFirst() throws Exception {
        Log log = Log.of("processor").withRequestId("req-1");
        JsonNode line = JSON.readTree(log.line(Log.Level.WARN, "device not recorded",
                Map.of("device_id", "a\"b\nc", "level", "spoofed"), new IllegalStateException("boom")));
        assertEquals("WARN", line.get("level").asText(), "a field cannot replace a standard one");
        assertEquals("req-1", line.get("request_id").asText());
        assertEquals("processor", line.get("function").asText());
        assertEquals("device not recorded", line.get("message").asText());
        assertEquals("a\"b\nc", line.get("device_id").asText());
        assertEquals("IllegalStateException: boom", line.get("error").asText());
        Instant.parse(line.get("timestamp").asText());
    }

    @Test
    void boundRequestIdReachesLogsWithoutTheirOwn() throws Exception {
        Log log = Log.of("admin");
        try (Log.Scope bound = Log.bind("api-gw-id")) {
            assertEquals("api-gw-id", JSON.readTree(log.line(Log.Level.INFO, "x", null, null)).get("request_id").asText());
        }
        assertFalse(JSON.readTree(log.line(Log.Level.INFO, "x", null, null)).has("request_id"));
    }

    @Test
    void emfDocumentDeclaresEveryMetricUnderOneNamespaceAndDimension() throws Exception {
        Metrics m = new Metrics("processor", "req-2", Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
        assertNull(m.document(), "nothing recorded, nothing printed");
        m.count(Metrics.EVENTS_STORED, 3).count(Metrics.EVENTS_STORED, 2).milliseconds(Metrics.PROCESSING_LAG, 40)
                .milliseconds(Metrics.PROCESSING_LAG, 15);
        JsonNode doc = JSON.readTree(m.document());
        JsonNode directive = doc.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals(1_700_000_000_000L, doc.get("_aws").get("Timestamp").asLong());
        assertEquals("PiSync", directive.get("Namespace").asText());
        assertEquals("[[\"function\"]]", directive.get("Dimensions").toString());
        assertEquals("[{\"Name\":\"EventsStored\",\"Unit\":\"Count\"},{\"Name\":\"ProcessingLag\",\"Unit\":\"Milliseconds\"}]",
                directive.get("Metrics").toString());
        assertEquals("processor", doc.get("function").asText());
        assertEquals(5, doc.get("EventsStored").asLong());
        assertEquals(40, doc.get("ProcessingLag").asLong(), "the worst lag of the invocation");
        assertEquals("req-2", doc.get("request_id").asText());
    }
}
