package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEntryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-01T08:00:00Z");

    @Test
    void theSameRequestChangingTheSameTargetGetsTheSameId() {
        String a = AuditEntry.idFor("req-1", "device.update", "device", "pibook-1");
        assertEquals(a, AuditEntry.idFor("req-1", "device.update", "device", "pibook-1"));
        assertTrue(a.matches("aud_[0-9a-f]{32}"));
        assertNotEquals(a, AuditEntry.idFor("req-2", "device.update", "device", "pibook-1"));
        assertNotEquals(a, AuditEntry.idFor("req-1", "device.decommission", "device", "pibook-1"));
        assertNotEquals(a, AuditEntry.idFor("req-1", "device.update", "device", "pibook-2"));
    }

    @Test
    void beforeAndAfterNeverCarryASecretAtAnyDepth() throws Exception {
        AuditEntry e = AuditEntry.of(AT, "amina", "user.create", "user", "kisumu", null, JSON.readTree(
                "{\"username\":\"kisumu\",\"password\":\"x\",\"device_token\":\"pdt.1\",\"token_version\":3,"
                        + "\"nested\":{\"token_hash\":\"h\",\"client_secret\":\"s\",\"code\":\"123456\",\"error_code\":\"E1\"},"
                        + "\"list\":[{\"refresh_token\":\"r\",\"name\":\"n\"}]}"), "req", "10.0.0.1");
        String after = e.after().toString();
        for (String secret : new String[] {"password", "device_token", "token_hash", "client_secret", "\"code\"",
                "refresh_token", "pdt.1"}) {
            assertFalse(after.contains(secret), secret + " in " + after);
        }
        assertEquals(3, e.after().get("token_version").asInt());
        assertEquals("E1", e.after().get("nested").get("error_code").asText());
        assertEquals("n", e.after().get("list").get(0).get("name").asText());
        assertNull(e.before());
    }

    @Test
    void entriesExpireAfter400Days() {
        AuditEntry e = AuditEntry.of(AT, "amina", "device.register", "device", "d", null, null, "r", null);
        assertEquals(Instant.parse("2027-12-06T08:00:00Z"), e.expiresAt());
    }
}
