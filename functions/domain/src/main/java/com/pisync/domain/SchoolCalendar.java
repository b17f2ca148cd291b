package com.pisync.domain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * When a site is at school (contract v1.1): inside {@code school_hours} on {@code school_days}, outside
 * {@code holidays}, all in the site's time zone. Holiday dates are local dates, both inclusive. A site
 * without a calendar ({@link #ALWAYS}) is at school all the time.
 *
 * <p>Local times are turned into instants day by day with the zone's rules, so a school day on which
 * clocks change is as long as it really is (an 08:00–15:00 day is 7 hours on both sides of a change at
 * 02:00; a whole-day calendar has a 23- or 25-hour day). A school start inside a spring-forward gap
 * starts at the first valid local time after it; an ambiguous local time (autumn) takes the earlier
 * offset.
 */
public final class SchoolCalendar {

    /** Minutes in a day: {@code to} may be 24:00 (the end of the day). */
    public static final int END_OF_DAY = 24 * 60;
    /** How far ahead {@link #offlineAt} looks for school time (a calendar can be all holidays). */
    public static final int HORIZON_DAYS = 3 * 366;

    /** At school every minute: no zone rules apply, school time is elapsed time. */
    public static final SchoolCalendar ALWAYS = new SchoolCalendar(ZoneId.of("UTC"), EnumSet.allOf(DayOfWeek.class),
            0, END_OF_DAY, List.of());

    /** A holiday: local dates, both inclusive. */
    public record Holiday(LocalDate from, LocalDate to, String name) {
        public Holiday {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("holiday ends before it starts: " + from + ".." + to);
            }
        }
    }

    private final ZoneId zone;
    private final Set<DayOfWeek> days;
    private final int fromMinute;
    private final int toMinute;
    private final TreeMap<LocalDate, LocalDate> holidays = new TreeMap<>();
    private final boolean always;

    /**
     * @param fromMinute school starts, minutes after local midnight (0–1439)
     * @param toMinute school ends (after {@code fromMinute}, at most {@link #END_OF_DAY})
     * @param holidays non-overlapping
     */
    public SchoolCalendar(ZoneId zone, Set<DayOfWeek> days, int fromMinute, int toMinute, List<Holiday> holidays) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.days = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
        if (fromMinute < 0 || toMinute > END_OF_DAY || fromMinute >= toMinute) {
            throw new IllegalArgumentException("school hours must satisfy 0 <= from < to <= 24:00");
        }
        this.fromMinute = fromMinute;
        this.toMinute = toMinute;
        for (Holiday h : holidays) {
            Map.Entry<LocalDate, LocalDate> before = this.holidays.floorEntry(h.to());
            if (before != null && !before.getValue().isBefore(h.from())) {
                throw new IllegalArgumentException("holidays overlap at " + h.from());
            }
            this.holidays.put(h.from(), h.to());
        }
        this.always = this.days.size() == 7 && fromMinute == 0 && toMinute == END_OF_DAY && this.holidays.isEmpty();
    }

    public boolean isAlways() {
        return always;
    }

    public boolean isHoliday(LocalDate date) {
        Map.Entry<LocalDate, LocalDate> h = holidays.floorEntry(date);
        return h != null && !h.getValue().isBefore(date);
    }

    /** True when {@code t} is school time. */
    public boolean atSchool(Instant t) {
        if (always) {
            return true;
        }
        LocalDate date = t.atZone(zone).toLocalDate();
        for (LocalDate d = date.minusDays(1); !d.isAfter(date); d = d.plusDays(1)) {
            Instant[] day = schoolDay(d);
            if (day != null && !t.isBefore(day[0]) && t.isBefore(day[1])) {
                return true;
            }
        }
        return false;
    }

    /** School time in {@code [from, to)}. */
    public Duration schoolTimeBetween(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        if (always) {
            return Duration.between(from, to);
        }
        Duration total = Duration.ZERO;
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate d = from.atZone(zone).toLocalDate().minusDays(1); !d.isAfter(last); d = d.plusDays(1)) {
            Instant[] day = schoolDay(d);
            if (day == null) {
                continue;
            }
            Instant s = day[0].isBefore(from) ? from : day[0];
            Instant e = day[1].isAfter(to) ? to : day[1];
            if (e.isAfter(s)) {
                total = total.plus(Duration.between(s, e));
            }
        }
        return total;
    }

    /**
     * The moment the school time since {@code lastSeen} reaches {@code allowed}: a device silent since
     * {@code lastSeen} is offline after it. Null when the calendar has no such moment within
     * {@link #HORIZON_DAYS} (no school day ahead): it never turns offline on its own.
     */
    public Instant offlineAt(Instant lastSeen, Duration allowed) {
        if (always) {
            return lastSeen.plus(allowed);
        }
        Duration remaining = allowed;
        LocalDate first = lastSeen.atZone(zone).toLocalDate().minusDays(1);
        for (int i = 0; i <= HORIZON_DAYS; i++) {
            Instant[] day = schoolDay(first.plusDays(i));
            if (day == null || !day[1].isAfter(lastSeen)) {
                continue;
            }
            Instant s = day[0].isBefore(lastSeen) ? lastSeen : day[0];
            Duration length = Duration.between(s, day[1]);
            if (remaining.compareTo(length) <= 0) {
                return s.plus(remaining);
            }
            remaining = remaining.minus(length);
        }
        return null;
    }

    /** The school interval of a local date as instants [start, end), or null when there is no school. */
    private Instant[] schoolDay(LocalDate date) {
        if (!days.contains(date.getDayOfWeek()) || isHoliday(date)) {
            return null;
        }
        Instant start = at(date, fromMinute);
        Instant end = at(date, toMinute);
        return end.isAfter(start) ? new Instant[] {start, end} : null;
    }

    private Instant at(LocalDate date, int minute) {
        if (minute == 0) {
            return date.atStartOfDay(zone).toInstant();
        }
        if (minute == END_OF_DAY) {
            return date.plusDays(1).atStartOfDay(zone).toInstant();
        }
        // ZonedDateTime.of: a time in a gap moves forward by the gap; an ambiguous one takes the earlier offset.
        return ZonedDateTime.of(date, LocalTime.of(minute / 60, minute % 60), zone).toInstant();
    }
}
