package com.pisync.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a device's {@code timestamp}: ISO-8601 date-time with an offset, as {@link
 * DateTimeFormatter#ISO_OFFSET_DATE_TIME} reads it ({@code Z}, {@code +05:30}, {@code -12:00},
 * {@code +05}, lower-case {@code t}/{@code z}, seconds optional, 0–9 fraction digits), plus leap
 * seconds: {@code 23:59:60} UTC (or the same moment written with an offset, {@code 05:29:60+05:30})
 * is read as 23:59:59 UTC with its fraction, as {@code java.time}'s ISO_INSTANT reads it. The same
 * instant written any of these ways is the same instant, hence the same derived event id.
 *
 * <p>Refused: no offset, second 60 anywhere but the last minute of a UTC day, offsets beyond ±18:00,
 * {@code +0530} (basic offset after an extended date), more than 9 fraction digits, zone names.
 */
public final class DeviceTime {

    /** hh:mm:60 with an optional fraction, then whatever follows (the offset). */
    private static final Pattern LEAP = Pattern.compile("(.*[Tt]\\d{2}:\\d{2}):60((?:\\.\\d{1,9})?[^.\\d].*)");
    private static final LocalTime LAST_SECOND = LocalTime.of(23, 59, 59);

    private DeviceTime() {
    }

    /** @throws DateTimeParseException when {@code text} is not such a date-time */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            Matcher leap = LEAP.matcher(text);
            if (!leap.matches()) {
                throw e;
            }
            Instant instant = OffsetDateTime.parse(leap.group(1) + ":59" + leap.group(2),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            if (!instant.atOffset(ZoneOffset.UTC).toLocalTime().withNano(0).equals(LAST_SECOND)) {
                throw new DateTimeParseException("second 60 is only a leap second at 23:59:60 UTC", text, 0);
            }
            return instant;
        }
    }
}
