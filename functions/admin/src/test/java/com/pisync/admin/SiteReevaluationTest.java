package com.pisync.admin;

import static com.pisync.memory.DeviceBuilder.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.dynamodb.SiteCalendars;
import com.pisync.memory.MemoryDevices;
import com.pisync.domain.SiteProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A site's new calendar re-times its devices (and only them), against in-memory ports. */
class SiteReevaluationTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z"); // a Monday
    private final MemoryDevices devices = new MemoryDevices();
    private final SiteReevaluation reevaluation = new SiteReevaluation(devices, devices,
            new SiteCalendars(null, Duration.ofHours(24)), 3);

    /** School Monday to Friday 08:00-16:00, offline after 2 school hours of silence. */
    private static SiteProfile strict(String site) throws Exception {
        return SiteProfile.parse(site, new ObjectMapper().readTree("""
                {"name": "North", "timezone": "UTC", "school_days": ["mon","tue","wed","thu","fri"],
                 "school_hours": {"from": "08:00", "to": "16:00"}, "offline_after_hours": 2}
                """), NOW);
    }

    @Test
    void aStricterCalendarTurnsAQuietDeviceOfflineAndLeavesOtherSitesAlone() throws Exception {
        Instant seen = NOW.minus(Duration.ofHours(3)); // 09:00 Monday: 3 school hours of silence
        devices.put(device("n-1").site("north").healthy(seen, seen.plus(Duration.ofHours(24))).build())
                .put(device("s-1").site("south").healthy(seen, seen.plus(Duration.ofHours(24))).build());

        int changed = reevaluation.reevaluate(strict("north"), strict("north").updatedAt(), NOW);

        assertEquals(1, changed);
        assertEquals("offline", devices.get("n-1").storedStatus());
        assertEquals(seen.plus(Duration.ofHours(2)), devices.get("n-1").offlineAt());
        assertEquals("healthy", devices.get("s-1").storedStatus());
    }

    @Test
    void runningItAgainChangesNothing() throws Exception {
        Instant seen = NOW.minus(Duration.ofHours(3));
        devices.put(device("n-1").site("north").healthy(seen, seen.plus(Duration.ofHours(24))).build());
        SiteProfile profile = strict("north");

        assertEquals(1, reevaluation.reevaluate(profile, profile.updatedAt(), NOW));
        assertEquals(0, reevaluation.reevaluate(profile, profile.updatedAt(), NOW));
        assertEquals(1, devices.updates());
    }

    @Test
    void everyDeviceOfTheSiteIsVisitedAcrossPages() throws Exception {
        Instant seen = NOW.minus(Duration.ofHours(3));
        int n = SiteReevaluation.PAGE * 2 + 7;
        IntStream.range(0, n).forEach(i -> devices.put(device(String.format("n-%04d", i)).site("north")
                .healthy(seen, seen.plus(Duration.ofHours(24))).build()));

        assertEquals(n, reevaluation.reevaluate(strict("north"), strict("north").updatedAt(), NOW));
    }

    @Test
    void aDeviceChangedUnderneathIsReadAgainAndDecidedAgain() throws Exception {
        Instant seen = NOW.minus(Duration.ofHours(3));
        devices.put(device("n-1").site("north").healthy(seen, seen.plus(Duration.ofHours(24))).build());
        // The processor commits a fresh upload between the read and the write: the device is healthy again.
        devices.beforeNextUpdate(() -> devices.put(device("n-1").site("north")
                .healthy(NOW.minusSeconds(60), NOW.plus(Duration.ofHours(24))).build()));

        assertEquals(1, reevaluation.reevaluate(strict("north"), strict("north").updatedAt(), NOW));
        assertEquals("healthy", devices.get("n-1").storedStatus());
        assertEquals(NOW.minusSeconds(60).plus(Duration.ofHours(2)), devices.get("n-1").offlineAt());
    }

    @Test
    void decommissionedAndNeverSyncedDevicesAreNotTimed() throws Exception {
        devices.put(device("gone").site("north").healthy(NOW.minus(Duration.ofDays(2)), NOW).decommissionedAt(NOW)
                .build()).put(device("new").site("north").build());

        assertEquals(0, reevaluation.reevaluate(strict("north"), strict("north").updatedAt(), NOW));
        assertNull(devices.get("new").offlineAt());
    }

    @Test
    void aDeviceThatKeepsChangingGivesUpAfterFiveAttempts() throws Exception {
        Instant seen = NOW.minus(Duration.ofHours(3));
        devices.put(device("busy").site("north").healthy(seen, seen.plus(Duration.ofHours(24))).build());
        for (int i = 0; i < 5; i++) {
            devices.beforeNextUpdate(() -> devices.put(devices.get("busy")));
        }

        assertThrows(IllegalStateException.class, () -> reevaluation.reevaluate(strict("north"), strict("north").updatedAt(), NOW));
    }
}
