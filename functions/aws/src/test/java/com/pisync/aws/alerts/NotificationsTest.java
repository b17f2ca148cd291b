package com.pisync.aws.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.Incident;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What people read in an alert e-mail, and the per-protocol message around it. */
class NotificationsTest {

    private static final Instant STREAK = Instant.parse("2026-11-01T06:00:00Z");
    private final Notifications text = new Notifications("https://dash.example.com/");

    private static Alert alert(String device, String site) {
        return new Alert("alr_5e0c3b9a7d21f4e6a8b0c2d4", device, site, AlertState.OPEN, 4, STREAK,
                Instant.parse("2026-11-01T07:00:00Z"), null, "upstream timed out after 30 s");
    }

    @Test
    void aFailureStreakSaysWhichDeviceWhatSinceWhenTheLastErrorAndLinksToIt() {
        AlertTransition t = new AlertTransition(AlertTransition.Kind.FAILURE_STREAK, alert("pibox-nbo04-01", "school-nbo-04"));
        assertEquals("PiSync alert: pibox-nbo04-01 at school-nbo-04 failed 4 syncs in a row", text.subject(t));
        String email = text.email(t);
        assertTrue(email.contains("Device: pibox-nbo04-01 (site school-nbo-04)\n"), email);
        assertTrue(email.contains("What happened: its last 4 syncs failed in a row (device.failure_streak)\n"), email);
        assertTrue(email.contains("Since: 2026-11-01T06:00:00Z"), email);
        assertTrue(email.contains("Last error: upstream timed out after 30 s\n"), email);
        assertTrue(email.contains("Dashboard: https://dash.example.com/#/devices/pibox-nbo04-01\n"), email);
    }

    @Test
    void subjectsStayWithinSnsLimits() {
        String longId = "d".repeat(64);
        AlertTransition t = new AlertTransition(AlertTransition.Kind.RECOVERED,
                alert(longId, "école-" + "s".repeat(58)).resolved(Instant.parse("2026-11-01T08:00:00Z")));
        String subject = text.subject(t);
        assertTrue(subject.length() <= Notifications.MAX_SUBJECT, subject);
        assertTrue(subject.chars().allMatch(c -> c >= 0x20 && c < 0x7f), subject);
        assertTrue(subject.endsWith("..."), subject);
        assertTrue(text.email(t).contains("Dashboard: https://dash.example.com/#/devices/" + longId));
    }

    @Test
    void incidentsHaveTheirOwnLinesAndTheMessageCarriesJsonForMachines() throws Exception {
        Incident i = Incident.open("school-nbo-04", 1, Instant.parse("2026-11-02T09:00:00Z"), 31, 40);
        assertEquals("PiSync incident at school-nbo-04: 31 of 40 devices failing or offline",
                text.subject(i, Incident.OPENED));
        String email = text.email(i, Incident.OPENED);
        assertTrue(email.contains("Site: school-nbo-04\n") && email.contains("Since: 2026-11-02T09:00:00Z\n")
                && email.contains("Dashboard: https://dash.example.com/#/incidents/" + i.incidentId()), email);
        JsonNode structure = new ObjectMapper().readTree(AlertPublisher.structured(
                AlertPublisher.body(i, Incident.OPENED), email));
        JsonNode machine = new ObjectMapper().readTree(structure.get("default").asText());
        assertEquals("site.incident_opened", machine.get("type").asText());
        assertEquals(i.incidentId(), machine.get("incident_id").asText());
        assertEquals(structure.get("default"), structure.get("sqs"));
        assertEquals(structure.get("default"), structure.get("lambda"));
        assertEquals(email, structure.get("email").asText());
    }
}
