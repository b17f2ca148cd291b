package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FailureDaysTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void compactFormListsTheNewestDayThenDaysBack() {
        Map<String, Integer> days = Map.of("2026-12-07", 3, "2026-12-05", 1, "2026-11-27", 4);
        long newest = LocalDate.parse("2026-12-07").toEpochDay();
        assertEquals(newest + ":3 2:1 10:4", FailureDays.encode(days));
        assertEquals(new TreeMap<>(days), FailureDays.decode(FailureDays.encode(days)));
    }

    @Test
    void noFailuresHaveNoCompactForm() {
        assertNull(FailureDays.encode(Map.of()));
        assertEquals(Map.of(), FailureDays.decode(null));
        assertEquals(Map.of(), FailureDays.decode(""));
    }

    @Test
    void compactFormRoundTripsAndIsSmallerThanAMapOfIsoDays() {
        Random random = new Random(7);
        for (int n = 0; n < 500; n++) {
            Map<String, Integer> days = new TreeMap<>();
            for (int d = 0; d < FailureDays.KEPT_DAYS; d++) {
                if (random.nextInt(3) == 0) {
                    days.put(LocalDate.of(2026, 12, 7).minusDays(d).toString(), 1 + random.nextInt(40));
                }
            }
            String text = FailureDays.encode(days);
            assertEquals(days, FailureDays.decode(text));
            if (!days.isEmpty()) {
                // A map item costs the day name (10 bytes), the number and about 3 bytes of overhead per day.
                int mapBytes = days.values().stream().mapToInt(c -> 13 + String.valueOf(c).length()).sum();
                assertTrue(text.length() * 2 < mapBytes + 5, text + " vs " + mapBytes + " bytes");
            }
        }
    }

    @Test
    void aMalformedCompactFormIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FailureDays.decode("20429"));
        assertThrows(NumberFormatException.class, () -> FailureDays.decode("x:1"));
    }

    @Test
    void addingCountsEachFailureOnItsUtcDayAndDropsDaysOutOfReach() {
        Map<String, Integer> before = Map.of("2026-11-05", 2, "2026-11-06", 1, "2026-12-06", 1);
        Map<String, Integer> after = FailureDays.add(before, List.of(Instant.parse("2026-12-06T23:59:59Z"),
                Instant.parse("2026-12-07T00:00:00Z"), Instant.parse("2026-12-07T09:00:00Z")), NOW);
        // 31 days before 2026-12-07T10:00 is 2026-11-06: kept; 2026-11-05 is out of any window.
        assertEquals(Map.of("2026-11-06", 1, "2026-12-06", 2, "2026-12-07", 2), after);
    }

    @Test
    void countsSinceADayIncludeThatDay() {
        Map<String, Integer> days = Map.of("2026-12-01", 2, "2026-12-03", 5, "2026-12-07", 1);
        assertEquals(8, FailureDays.since(days, "2026-12-01"));
        assertEquals(6, FailureDays.since(days, "2026-12-02"));
        assertEquals(6, FailureDays.since(days, "2026-12-03"));
        assertEquals(0, FailureDays.since(days, "2026-12-08"));
        assertEquals(8, FailureDays.total(days));
    }
}
