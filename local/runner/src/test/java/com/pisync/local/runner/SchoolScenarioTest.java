package com.pisync.local.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.domain.SiteProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's schools scenario: valid site profiles, closed schools, the outage window, data at risk. */
class SchoolScenarioTest {

    private static final Instant START = Instant.parse("2026-11-04T09:00:00Z"); // a Wednesday

    @Test
    void profilesAreValidAndTheHolidaySiteIsClosedToday() {
        SchoolScenario s = SchoolScenario.demo();
        Map<String, ObjectNode> profiles = s.profiles(START);
        assertEquals(5, profiles.size());
        profiles.forEach((site, body) -> s.calendar(site, SiteProfile.parse(site, body, START))); // the API's own checks
        assertFalse(s.open(SchoolScenario.HOLIDAY_SITE, START.plusSeconds(3600)));
        assertTrue(s.open(SchoolScenario.OUTAGE_SITE, START.plusSeconds(3600)));
        assertTrue(s.open("south-school", START.plusSeconds(3600))); // 11:00 in Johannesburg
        assertFalse(s.open("south-school", Instant.parse("2026-11-07T10:00:00Z"))); // Saturday
        assertFalse(s.open("south-school", Instant.parse("2026-11-04T20:00:00Z"))); // 22:00 there
    }

    @Test
    void theOutageSiteLosesItsNetworkInWindows() {
        SchoolScenario s = new SchoolScenario(false, true, false);
        s.profiles(START);
        assertFalse(s.networkDown(SchoolScenario.OUTAGE_SITE, START.plusSeconds(5)));
        assertTrue(s.networkDown(SchoolScenario.OUTAGE_SITE, START.plus(SchoolScenario.OUTAGE_AFTER).plusSeconds(1)));
        assertFalse(s.networkDown("south-school", START.plus(SchoolScenario.OUTAGE_AFTER).plusSeconds(1)));
        assertFalse(s.networkDown(SchoolScenario.OUTAGE_SITE,
                START.plus(SchoolScenario.OUTAGE_AFTER).plus(SchoolScenario.OUTAGE).plusSeconds(1)));
        assertTrue(s.networkDown(SchoolScenario.OUTAGE_SITE,
                START.plus(SchoolScenario.OUTAGE_AFTER).plus(SchoolScenario.OUTAGE_EVERY).plusSeconds(1)));
        assertFalse(SchoolScenario.NONE.networkDown(SchoolScenario.OUTAGE_SITE, START.plusSeconds(30)));
    }

    @Test
    void someDevicesHoldDataForHours() {
        SchoolScenario s = new SchoolScenario(false, false, true);
        s.profiles(START);
        List<Integer> holding = java.util.stream.IntStream.rangeClosed(1, 40).filter(i -> s.pending(i, START) != null)
                .boxed().toList();
        assertEquals(List.of(3, 10, 17, 24, 31, 38), holding);
        SchoolScenario.Pending p = s.pending(10, START);
        assertNotNull(p);
        assertTrue(p.since().isBefore(START.minusSeconds(3600)) && p.files() > 0);
        assertNull(SchoolScenario.NONE.pending(3, START));
        assertTrue(new SchoolScenario(false, false, false).profiles(START).isEmpty());
    }
}
