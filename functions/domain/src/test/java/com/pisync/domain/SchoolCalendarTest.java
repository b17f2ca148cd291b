package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchoolCalendarTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    private static final Duration H = Duration.ofHours(1);

    private static SchoolCalendar paris(List<SchoolCalendar.Holiday> holidays) {
        return new SchoolCalendar(ZoneId.of("Europe/Paris"), WEEKDAYS, 8 * 60, 15 * 60, holidays);
    }

    private static Instant at(String t) {
        return Instant.parse(t);
    }

    private static SiteProfile profile(String json) {
        try {
            return SiteProfile.parse("school-1", JSON.readTree(json.replace('\'', '"')), at("2026-01-01T00:00:00Z"));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void withoutCalendarEveryHourIsSchoolTimeAsBefore() {
        Instant seen = at("2026-11-06T16:00:00Z"); // a Friday
        assertEquals(seen.plus(Duration.ofHours(24)), SchoolCalendar.ALWAYS.offlineAt(seen, Duration.ofHours(24)));
        assertEquals(Duration.ofHours(48), SchoolCalendar.ALWAYS.schoolTimeBetween(seen, seen.plus(Duration.ofHours(48))));
        SiteProfile defaults = SiteProfile.defaults("s");
        assertEquals(seen.plus(Duration.ofHours(24)), defaults.offlineAt(seen));
        assertTrue(defaults.calendar().isAlways());
        // A zone alone is no calendar either: every hour counts, whatever the offset.
        assertEquals(seen.plus(Duration.ofHours(24)), profile("{'timezone':'Asia/Kolkata'}").offlineAt(seen));
    }

    @Test
    void countsOnlySchoolHoursOfSchoolDays() {
        SchoolCalendar c = paris(List.of());
        // Tuesday 2026-11-03 10:00 Paris (09:00Z, CET = UTC+1): 5 h left that day, 7 h the next day.
        Instant seen = at("2026-11-03T09:00:00Z");
        assertEquals(at("2026-11-04T07:00:00Z").plus(Duration.ofHours(2)), c.offlineAt(seen, Duration.ofHours(7)));
        assertEquals(Duration.ofHours(12), c.schoolTimeBetween(seen, at("2026-11-05T07:00:00Z")));
        assertTrue(c.atSchool(at("2026-11-03T13:59:59Z")));
        assertFalse(c.atSchool(at("2026-11-03T14:00:00Z")), "15:00 Paris: school is out");
        assertFalse(c.atSchool(at("2026-11-03T06:59:59Z")));
    }

    @Test
    void aWeekendDoesNotTurnDevicesOffline() {
        SchoolCalendar c = paris(List.of());
        Instant fridayAfternoon = at("2026-11-06T13:00:00Z"); // Friday 14:00 Paris: 1 h of school left
        Instant offline = c.offlineAt(fridayAfternoon, Duration.ofHours(7));
        // 1 h on Friday, then 6 h on Monday 9 Nov from 08:00 Paris (07:00Z): 13:00Z.
        assertEquals(at("2026-11-09T13:00:00Z"), offline);
        assertEquals(Duration.ofHours(1), c.schoolTimeBetween(fridayAfternoon, at("2026-11-09T07:00:00Z")));
        // Seen on Saturday: the clock starts on Monday morning.
        assertEquals(at("2026-11-09T14:00:00Z"), c.offlineAt(at("2026-11-07T10:00:00Z"), Duration.ofHours(7)));
        // Seen after school: the rest of the evening does not count.
        assertEquals(at("2026-11-04T14:00:00Z"), c.offlineAt(at("2026-11-03T18:00:00Z"), Duration.ofHours(7)));
    }

    @Test
    void holidaysSpanningTheYearEndAreNotSchoolTime() {
        SchoolCalendar c = paris(List.of(new SchoolCalendar.Holiday(LocalDate.parse("2026-12-19"),
                LocalDate.parse("2027-01-03"), "winter")));
        // Friday 18 Dec 2026, 14:00 Paris: 1 h that day; back on Monday 4 Jan 2027 (Sunday 3 Jan is a holiday anyway).
        Instant seen = at("2026-12-18T13:00:00Z");
        assertEquals(at("2027-01-04T13:00:00Z"), c.offlineAt(seen, Duration.ofHours(7)));
        assertTrue(c.isHoliday(LocalDate.parse("2026-12-31")));
        assertTrue(c.isHoliday(LocalDate.parse("2027-01-01")));
        assertTrue(c.isHoliday(LocalDate.parse("2027-01-03")), "both ends inclusive");
        assertFalse(c.isHoliday(LocalDate.parse("2027-01-04")));
        assertFalse(c.isHoliday(LocalDate.parse("2026-12-18")));
        assertFalse(c.atSchool(at("2026-12-21T10:00:00Z")), "a Monday of the holidays");
    }

    @Test
    void holidayDatesAreLocalDatesOfTheSiteZone() {
        // Auckland (UTC+13 in December): 1 Dec local starts at 30 Nov 11:00Z.
        SchoolCalendar c = new SchoolCalendar(ZoneId.of("Pacific/Auckland"), EnumSet.allOf(DayOfWeek.class), 0,
                SchoolCalendar.END_OF_DAY, List.of(new SchoolCalendar.Holiday(LocalDate.parse("2026-12-01"),
                        LocalDate.parse("2026-12-01"), null)));
        assertTrue(c.atSchool(at("2026-11-30T10:59:59Z")));
        assertFalse(c.atSchool(at("2026-11-30T11:00:00Z")));
        assertFalse(c.atSchool(at("2026-12-01T10:59:59Z")));
        assertTrue(c.atSchool(at("2026-12-01T11:00:00Z")));
        assertEquals(Duration.ofHours(24), c.schoolTimeBetween(at("2026-11-30T00:00:00Z"), at("2026-12-02T00:00:00Z")));
    }

    @Test
    void schoolHoursFollowTheZoneAcrossDaylightSavingChanges() {
        SchoolCalendar c = paris(List.of());
        // Friday 27 Mar 2026 14:00 CET (13:00Z); clocks go forward on Sunday 29 Mar; Monday 08:00 CEST = 06:00Z.
        assertEquals(at("2026-03-30T12:00:00Z"), c.offlineAt(at("2026-03-27T13:00:00Z"), Duration.ofHours(7)));
        // Autumn: Friday 23 Oct 2026 14:00 CEST (12:00Z); back to CET on 25 Oct; Monday 08:00 CET = 07:00Z.
        assertEquals(at("2026-10-26T13:00:00Z"), c.offlineAt(at("2026-10-23T12:00:00Z"), Duration.ofHours(7)));
    }

    @Test
    void wholeDayCalendarsHaveShortAndLongDaysAtTheChange() {
        SchoolCalendar everyDay = new SchoolCalendar(ZoneId.of("Europe/Paris"), EnumSet.allOf(DayOfWeek.class), 0,
                SchoolCalendar.END_OF_DAY, List.of(new SchoolCalendar.Holiday(LocalDate.parse("2026-04-01"),
                        LocalDate.parse("2026-04-01"), null)));
        // 29 Mar 2026 (Paris) is 23 hours long, 25 Oct 2026 is 25 hours.
        assertEquals(Duration.ofHours(23), everyDay.schoolTimeBetween(at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z")));
        assertEquals(Duration.ofHours(25), everyDay.schoolTimeBetween(at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z")));
    }

    @Test
    void aSchoolStartInsideTheSpringGapStartsAfterIt() {
        // New York springs forward at 02:00 on Sunday 8 Mar 2026; school 02:30–05:00 every day.
        SchoolCalendar c = new SchoolCalendar(ZoneId.of("America/New_York"), EnumSet.allOf(DayOfWeek.class), 150, 300,
                List.of());
        // 02:30 does not exist that day: school runs 03:30 EDT (07:30Z) to 05:00 EDT (09:00Z), 1.5 h.
        assertEquals(Duration.ofMinutes(90), c.schoolTimeBetween(at("2026-03-08T05:00:00Z"), at("2026-03-08T12:00:00Z")));
        assertEquals(Duration.ofMinutes(150), c.schoolTimeBetween(at("2026-03-09T05:00:00Z"), at("2026-03-09T12:00:00Z")));
    }

    @Test
    void timeZonesFarFromUtcKeepTheirLocalDay() {
        // Kiritimati (UTC+14): Monday 08:00–09:00 local is Sunday 18:00–19:00 UTC.
        SchoolCalendar c = new SchoolCalendar(ZoneId.of("Pacific/Kiritimati"), Set.of(DayOfWeek.MONDAY), 8 * 60, 9 * 60,
                List.of());
        assertTrue(c.atSchool(at("2026-11-01T18:30:00Z")), "Sunday in UTC, Monday at school");
        assertEquals(at("2026-11-08T18:30:00Z"), c.offlineAt(at("2026-11-01T18:00:00Z"), Duration.ofMinutes(90)));
        // Honolulu (UTC-10): Friday 14:00-15:00 local is Saturday 00:00–01:00 UTC.
        SchoolCalendar h = new SchoolCalendar(ZoneId.of("Pacific/Honolulu"), Set.of(DayOfWeek.FRIDAY), 14 * 60, 15 * 60,
                List.of());
        assertTrue(h.atSchool(at("2026-11-07T00:30:00Z")));
    }

    @Test
    void aCalendarWithoutSchoolAheadNeverTurnsDevicesOffline() {
        SchoolCalendar allHolidays = paris(List.of(new SchoolCalendar.Holiday(LocalDate.parse("2026-01-01"),
                LocalDate.parse("2035-12-31"), "closed")));
        assertNull(allHolidays.offlineAt(at("2026-11-03T09:00:00Z"), Duration.ofHours(7)));
    }

    @Test
    void editingTheProfileWhileADeviceIsSilentMovesItsOfflineTime() {
        Instant seen = at("2026-12-17T10:00:00Z"); // Thursday 11:00 Paris
        SiteProfile before = profile("{'timezone':'Europe/Paris','school_days':['mon','tue','wed','thu','fri'],"
                + "'school_hours':{'from':'08:00','to':'15:00'},'offline_after_hours':7}");
        // Thursday 4 h + Friday 3 h: offline on Friday 18 Dec at 11:00 Paris.
        assertEquals(at("2026-12-18T10:00:00Z"), before.offlineAt(seen));
        // The admin adds the winter holidays from Friday on while the device is silent: it counts 4 h
        // on Thursday, then resumes on Monday 4 Jan; an offline device of the site is back to healthy.
        SiteProfile after = profile("{'timezone':'Europe/Paris','school_days':['mon','tue','wed','thu','fri'],"
                + "'school_hours':{'from':'08:00','to':'15:00'},'offline_after_hours':7,"
                + "'holidays':[{'from':'2026-12-18','to':'2027-01-03','name':'winter'}]}");
        Instant offlineAt = after.offlineAt(seen);
        assertEquals(at("2027-01-04T10:00:00Z"), offlineAt);
        Instant now = at("2026-12-22T12:00:00Z");
        DeviceState state = new DeviceState("d", "k", seen, Outcome.SUCCESS, "k", seen, null, null, null, null,
                FailureStreak.NONE, 1, 0, null, seen, null);
        assertEquals(DeviceStatus.OFFLINE, DeviceStatus.of(false, state, 3, before.offlineAt(seen), now));
        assertEquals(DeviceStatus.HEALTHY, DeviceStatus.of(false, state, 3, offlineAt, now));
        // Shortening the threshold makes it offline sooner.
        SiteProfile strict = profile("{'timezone':'Europe/Paris','school_days':['mon','tue','wed','thu','fri'],"
                + "'school_hours':{'from':'08:00','to':'15:00'},'offline_after_hours':2}");
        assertEquals(at("2026-12-17T12:00:00Z"), strict.offlineAt(seen));
    }

    @Test
    void offlineMeansStrictlyMoreSchoolTimeThanAllowed() {
        DeviceState state = new DeviceState("d", "k", null, Outcome.SUCCESS, "k", null, null, null, null, null,
                FailureStreak.NONE, 1, 0, null, at("2026-11-01T00:00:00Z"), null);
        Instant offlineAt = at("2026-11-02T00:00:00Z");
        assertEquals(DeviceStatus.HEALTHY, DeviceStatus.of(false, state, 3, offlineAt, offlineAt));
        assertEquals(DeviceStatus.OFFLINE, DeviceStatus.of(false, state, 3, offlineAt, offlineAt.plusMillis(1)));
        assertEquals(DeviceStatus.HEALTHY, DeviceStatus.of(false, state, 3, (Instant) null, offlineAt.plus(H)));
        // The same as the v1 rule with a 24 h window.
        assertEquals(DeviceStatus.of(false, state, 3, Duration.ofHours(24), offlineAt.plusMillis(1)),
                DeviceStatus.of(false, state, 3, offlineAt, offlineAt.plusMillis(1)));
    }
}
