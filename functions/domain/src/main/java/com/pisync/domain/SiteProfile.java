package com.pisync.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A site's profile (contract v1.1, {@code PUT /v1/sites/{site}}): its name, school calendar, offline
 * threshold and incident thresholds. Every field is optional; what is absent takes the default, and a
 * site nobody configured has the defaults: no calendar (at school all the time), offline after 24 h,
 * incidents at 3 devices and half the active ones.
 *
 * @param schoolFrom minutes after local midnight; with {@code schoolTo}, null when the whole day counts
 * @param updatedAt when the profile was last set, or null for a site nobody configured
 */
public record SiteProfile(
        String site,
        String name,
        String timezone,
        List<DayOfWeek> schoolDays,
        Integer schoolFrom,
        Integer schoolTo,
        List<SchoolCalendar.Holiday> holidays,
        double offlineAfterHours,
        double incidentRatio,
        int incidentMinDevices,
        Instant updatedAt) {

    public static final double DEFAULT_OFFLINE_AFTER_HOURS = 24;
    public static final double DEFAULT_INCIDENT_RATIO = 0.5;
    public static final int DEFAULT_INCIDENT_MIN_DEVICES = 3;
    public static final String DEFAULT_TIMEZONE = "UTC";
    public static final int MAX_HOLIDAYS = 200;
    public static final double MAX_OFFLINE_AFTER_HOURS = 24 * 366;
    public static final int MAX_INCIDENT_MIN_DEVICES = 1_000_000;
    public static final int MAX_SITE_LENGTH = 64;
    private static final int MAX_NAME = 100;
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]|24:00");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    public SiteProfile {
        schoolDays = List.copyOf(schoolDays);
        holidays = List.copyOf(holidays);
    }

    /** True when {@code other} times devices the same way: same zone, school days and hours, holidays and window. */
    public boolean sameCalendar(SiteProfile other) {
        return other != null && java.util.Objects.equals(timezone, other.timezone)
                && schoolDays.equals(other.schoolDays) && java.util.Objects.equals(schoolFrom, other.schoolFrom)
                && java.util.Objects.equals(schoolTo, other.schoolTo) && holidays.equals(other.holidays)
                && offlineAfterHours == other.offlineAfterHours;
    }

    /** The profile of a site nobody configured. */
    public static SiteProfile defaults(String site) {
        return new SiteProfile(site, site, DEFAULT_TIMEZONE, List.of(DayOfWeek.values()), null, null, List.of(),
                DEFAULT_OFFLINE_AFTER_HOURS, DEFAULT_INCIDENT_RATIO, DEFAULT_INCIDENT_MIN_DEVICES, null);
    }

    public boolean configured() {
        return updatedAt != null;
    }

    public Duration offlineAfter() {
        return Duration.ofMillis(Math.round(offlineAfterHours * 3_600_000d));
    }

    public SchoolCalendar calendar() {
        return new SchoolCalendar(ZoneId.of(timezone), EnumSet.copyOf(schoolDays), schoolFrom == null ? 0 : schoolFrom,
                schoolTo == null ? SchoolCalendar.END_OF_DAY : schoolTo, holidays);
    }

    /** When a device of this site last seen at {@code lastSeen} turns offline if it stays silent; null: never. */
    public Instant offlineAt(Instant lastSeen) {
        return lastSeen == null ? null : calendar().offlineAt(lastSeen, offlineAfter());
    }

    /** "mon".."sun". */
    public static String dayName(DayOfWeek d) {
        return DAY_NAMES.get(d.getValue() - 1);
    }

    /** "08:00", "24:00". */
    public static String hhmm(int minutes) {
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }

    /** A site id as a path segment or device field carries it: 1–64 characters, no surrounding blanks. */
    public static String siteProblem(String site) {
        if (site == null || site.isEmpty() || site.length() > MAX_SITE_LENGTH) {
            return "must be 1–" + MAX_SITE_LENGTH + " characters long";
        }
        if (site.isBlank() || !site.strip().equals(site)) {
            return "must not be blank or start or end with a space";
        }
        if (!UnicodeText.isWellFormed(site)) {
            return UnicodeText.RULE;
        }
        return null;
    }

    /**
     * Reads a {@code PUT /v1/sites/{site}} body; every bad field is reported at once, named by its path
     * ({@code school_hours}, {@code holidays[2].to}...).
     */
    public static SiteProfile parse(String site, JsonNode body, Instant now) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.",
                    List.of(new FieldError("body", "must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        String name = site;
        JsonNode n = present(body, "name");
        if (n != null) {
            if (!n.isTextual() || n.textValue().isBlank() || n.textValue().length() > MAX_NAME) {
                errors.add(new FieldError("name", "must be a non-blank string of at most " + MAX_NAME + " characters"));
            } else if (!UnicodeText.isWellFormed(n.textValue())) {
                errors.add(new FieldError("name", UnicodeText.RULE));
            } else {
                name = n.textValue().strip();
            }
        }
        String timezone = DEFAULT_TIMEZONE;
        JsonNode tz = present(body, "timezone");
        if (tz != null) {
            if (!tz.isTextual() || !ZoneId.getAvailableZoneIds().contains(tz.textValue())) {
                errors.add(new FieldError("timezone", "must be an IANA time zone, e.g. Europe/Paris"));
            } else {
                timezone = tz.textValue();
            }
        }
        List<DayOfWeek> days = List.of(DayOfWeek.values());
        JsonNode d = present(body, "school_days");
        if (d != null) {
            days = schoolDays(d, errors);
        }
        Integer from = null;
        Integer to = null;
        JsonNode hours = present(body, "school_hours");
        if (hours != null) {
            if (!hours.isObject()) {
                errors.add(new FieldError("school_hours", "must be an object {\"from\": \"08:00\", \"to\": \"15:00\"}"));
            } else {
                from = time(hours, "from", false, errors);
                to = time(hours, "to", true, errors);
                if (from != null && to != null && from >= to) {
                    errors.add(new FieldError("school_hours", "from must be before to"));
                }
                if (from == null || to == null) {
                    from = null;
                    to = null;
                }
            }
        }
        List<SchoolCalendar.Holiday> holidays = List.of();
        JsonNode h = present(body, "holidays");
        if (h != null) {
            holidays = holidays(h, errors);
        }
        double offlineAfter = number(body, "offline_after_hours", DEFAULT_OFFLINE_AFTER_HOURS, 0, false,
                MAX_OFFLINE_AFTER_HOURS, errors);
        double ratio = number(body, "incident_ratio", DEFAULT_INCIDENT_RATIO, 0, true, 1, errors);
        int minDevices = DEFAULT_INCIDENT_MIN_DEVICES;
        JsonNode m = present(body, "incident_min_devices");
        if (m != null) {
            boolean integral = m.isIntegralNumber() || (m.isFloatingPointNumber() && m.canConvertToExactIntegral());
            if (!integral || !m.canConvertToInt() || m.intValue() < 2 || m.intValue() > MAX_INCIDENT_MIN_DEVICES) {
                errors.add(new FieldError("incident_min_devices",
                        "must be an integer between 2 and " + MAX_INCIDENT_MIN_DEVICES));
            } else {
                minDevices = m.intValue();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The site profile is invalid.", errors);
        }
        return new SiteProfile(site, name, timezone, days, from, to, holidays, offlineAfter, ratio, minDevices, now);
    }

    private static JsonNode present(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static List<DayOfWeek> schoolDays(JsonNode d, List<FieldError> errors) {
        if (!d.isArray() || d.isEmpty() || d.size() > 7) {
            errors.add(new FieldError("school_days", "must be an array of 1 to 7 of " + String.join(", ", DAY_NAMES)));
            return List.of(DayOfWeek.values());
        }
        Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        for (int i = 0; i < d.size(); i++) {
            JsonNode v = d.get(i);
            int index = v.isTextual() ? DAY_NAMES.indexOf(v.textValue()) : -1;
            if (index < 0) {
                errors.add(new FieldError("school_days[" + i + "]", "must be one of " + String.join(", ", DAY_NAMES)));
            } else if (!set.add(DayOfWeek.of(index + 1))) {
                errors.add(new FieldError("school_days[" + i + "]", "is listed twice"));
            }
        }
        return set.isEmpty() ? List.of(DayOfWeek.values()) : List.copyOf(set);
    }

    private static Integer time(JsonNode hours, String field, boolean mayBeEndOfDay, List<FieldError> errors) {
        JsonNode v = hours.get(field);
        String path = "school_hours." + field;
        if (v == null || v.isNull()) {
            errors.add(new FieldError(path, "is required"));
            return null;
        }
        if (!v.isTextual() || !HH_MM.matcher(v.textValue()).matches()
                || (!mayBeEndOfDay && v.textValue().equals("24:00"))) {
            errors.add(new FieldError(path, "must be a local time \"HH:MM\" (00:00–23:59" + (mayBeEndOfDay ? ", or 24:00" : "")
                    + ")"));
            return null;
        }
        String t = v.textValue();
        return Integer.parseInt(t.substring(0, 2)) * 60 + Integer.parseInt(t.substring(3, 5));
    }

    private static List<SchoolCalendar.Holiday> holidays(JsonNode h, List<FieldError> errors) {
        if (!h.isArray()) {
            errors.add(new FieldError("holidays", "must be an array of {\"from\", \"to\", \"name\"}"));
            return List.of();
        }
        if (h.size() > MAX_HOLIDAYS) {
            errors.add(new FieldError("holidays", "must hold at most " + MAX_HOLIDAYS + " holidays, got " + h.size()));
            return List.of();
        }
        record Indexed(int index, SchoolCalendar.Holiday holiday) {
        }
        List<Indexed> valid = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            JsonNode item = h.get(i);
            String path = "holidays[" + i + "]";
            if (!item.isObject()) {
                errors.add(new FieldError(path, "must be an object {\"from\", \"to\", \"name\"}"));
                continue;
            }
            LocalDate from = date(item, path, "from", errors);
            LocalDate to = date(item, path, "to", errors);
            String name = null;
            JsonNode n = present(item, "name");
            if (n != null) {
                if (!n.isTextual() || n.textValue().length() > MAX_NAME || !UnicodeText.isWellFormed(n.textValue())) {
                    errors.add(new FieldError(path + ".name", "must be a string of at most " + MAX_NAME + " characters"));
                } else {
                    name = n.textValue().strip();
                }
            }
            if (from != null && to != null) {
                if (to.isBefore(from)) {
                    errors.add(new FieldError(path, "is reversed: to must not be before from"));
                } else {
                    valid.add(new Indexed(i, new SchoolCalendar.Holiday(from, to, name)));
                }
            }
        }
        List<Indexed> sorted = new ArrayList<>(valid);
        sorted.sort(Comparator.comparing((Indexed x) -> x.holiday().from()).thenComparing(Indexed::index));
        for (int i = 1; i < sorted.size(); i++) {
            Indexed prev = sorted.get(i - 1);
            Indexed cur = sorted.get(i);
            if (!cur.holiday().from().isAfter(prev.holiday().to())) {
                Indexed later = prev.index() > cur.index() ? prev : cur;
                Indexed other = later == prev ? cur : prev;
                errors.add(new FieldError("holidays[" + later.index() + "]",
                        "overlaps holidays[" + other.index() + "]"));
            }
        }
        return sorted.stream().map(Indexed::holiday).toList();
    }

    private static LocalDate date(JsonNode item, String path, String field, List<FieldError> errors) {
        JsonNode v = item.get(field);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(path + "." + field, "is required"));
            return null;
        }
        try {
            if (!v.isTextual() || !DATE.matcher(v.textValue()).matches()) {
                throw new DateTimeParseException("not a date", String.valueOf(v), 0);
            }
            return LocalDate.parse(v.textValue());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(path + "." + field, "must be a date YYYY-MM-DD"));
            return null;
        }
    }

    private static double number(JsonNode body, String field, double fallback, double min, boolean minInclusive,
            double max, List<FieldError> errors) {
        JsonNode v = present(body, field);
        if (v == null) {
            return fallback;
        }
        double x = v.isNumber() ? v.doubleValue() : Double.NaN;
        if (!Double.isFinite(x) || (minInclusive ? x < min : x <= min) || x > max) {
            errors.add(new FieldError(field, "must be a number " + (minInclusive ? "≥ " : "> ") + fmt(min) + " and ≤ "
                    + fmt(max)));
            return fallback;
        }
        return x;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
