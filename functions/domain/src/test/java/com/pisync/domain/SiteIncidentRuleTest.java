package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.domain.SiteIncidentRule.Counts;
import com.pisync.domain.SiteIncidentRule.Decision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteIncidentRuleTest {

    private static final SiteProfile DEFAULTS = SiteProfile.defaults("school-1");

    @Test
    void opensAtTheMinimumAndTheRatioOfActiveDevices() {
        // 40 active: half is 20.
        assertEquals(Decision.STAY_CLOSED, SiteIncidentRule.decide(false, new Counts(21, 19, 0), DEFAULTS));
        assertEquals(Decision.OPEN, SiteIncidentRule.decide(false, new Counts(20, 12, 8), DEFAULTS));
        // Never fewer than incident_min_devices (3), whatever the ratio.
        assertEquals(Decision.STAY_CLOSED, SiteIncidentRule.decide(false, new Counts(0, 2, 0), DEFAULTS));
        assertEquals(Decision.OPEN, SiteIncidentRule.decide(false, new Counts(1, 3, 0), DEFAULTS));
        // No active devices: nothing to open.
        assertEquals(Decision.STAY_CLOSED, SiteIncidentRule.decide(false, new Counts(0, 0, 0), DEFAULTS));
    }

    @Test
    void resolvesBelowTheMinimumOrHalfTheRatio() {
        // 40 active, open: stays open down to a quarter (10), resolves below it.
        assertEquals(Decision.STAY_OPEN, SiteIncidentRule.decide(true, new Counts(30, 10, 0), DEFAULTS));
        assertEquals(Decision.RESOLVE, SiteIncidentRule.decide(true, new Counts(31, 9, 0), DEFAULTS));
        // Fewer than the minimum resolves even when it is all of them.
        assertEquals(Decision.RESOLVE, SiteIncidentRule.decide(true, new Counts(0, 2, 0), DEFAULTS));
    }

    @Test
    void aFlappingDeviceDoesNotFlapTheIncident() {
        // 40 active at the opening threshold: one device going back and forth around it.
        boolean open = false;
        int transitions = 0;
        for (int i = 0; i < 10; i++) {
            long affected = i % 2 == 0 ? 20 : 19;
            Decision d = SiteIncidentRule.decide(open, new Counts(40 - affected, affected, 0), DEFAULTS);
            if (d == Decision.OPEN || d == Decision.RESOLVE) {
                transitions++;
                open = d == Decision.OPEN;
            }
        }
        assertEquals(1, transitions);
        assertTrue(open);
    }

    @Test
    void theSiteProfileSetsTheThresholds() {
        SiteProfile strict = new SiteProfile("s", "s", "UTC", DEFAULTS.schoolDays(), null, null, List.of(), 24, 0.8, 5,
                Instant.EPOCH);
        assertEquals(Decision.STAY_CLOSED, SiteIncidentRule.decide(false, new Counts(3, 7, 0), strict));
        assertEquals(Decision.OPEN, SiteIncidentRule.decide(false, new Counts(2, 4, 4), strict));
        // resolves below 0.4 of active
        assertEquals(Decision.STAY_OPEN, SiteIncidentRule.decide(true, new Counts(5, 5, 0), strict));
        assertEquals(Decision.RESOLVE, SiteIncidentRule.decide(true, new Counts(16, 5, 0), strict));
    }

    @Test
    void anIncidentIdIsAFunctionOfTheSiteAndItsGeneration() {
        assertEquals(Incident.idFor("school-1", 1), Incident.idFor("school-1", 1));
        assertNotEquals(Incident.idFor("school-1", 1), Incident.idFor("school-1", 2));
        assertNotEquals(Incident.idFor("school-1", 1), Incident.idFor("school-2", 1));
        assertTrue(Incident.idFor("school-1", 1).matches("inc_[0-9a-f]{24}"));
    }

    @Test
    void thePeakOnlyGrows() {
        Incident i = Incident.open("s", 1, Instant.EPOCH, 20, 40).withCounts(30, 40).withCounts(12, 40);
        assertEquals(30, i.peakAffected());
        assertEquals(12, i.devicesAffected());
        Incident r = i.resolved(Instant.EPOCH.plusSeconds(60), 2, 40);
        assertEquals(AlertState.RESOLVED, r.state());
        assertEquals(30, r.peakAffected());
    }
}
