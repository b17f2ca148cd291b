package com.pisync.aws.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The stats table's items: fleet counters kept up to date from the tables' streams, and the stream
 * checkpoints that make them exactly-once. Partition key {@code scope}, sort key {@code counter}.
 *
 * <pre>
 * scope                     counter                          attributes
 * fleet | site#&lt;site&gt;       day#&lt;yyyy-mm-dd&gt;#&lt;shard&gt;         syncs, failures, files_synced; expires_at = day + 40 d
 * fleet | site#&lt;site&gt;       hour#&lt;yyyy-mm-ddTHH&gt;#&lt;shard&gt;      syncs, failures, files_synced, speed_sum, speed_count;
 *                                                             expires_at = hour + 3 d
 * fleet | site#&lt;site&gt;       status#&lt;status&gt;#&lt;shard&gt;          devices (no TTL)
 * checkpoint                &lt;stream ARN&gt;#&lt;first seq&gt;#&lt;id&gt;    seq: last applied sequence number of that delivery;
 *                                                             expires_at = write + 2 d (streams keep records 24 h)
 * </pre>
 *
 * A day counts events by their device timestamp (the dashboard charts device activity); an hour counts
 * them by the server's receipt time, so "last 24 h" never trusts device clocks. A counter is split over
 * {@link com.pisync.aws.dynamodb.Shards#COUNT} shard items so concurrent writers rarely meet on one
 * item; readers add the shards up.
 */
public final class StatsItems {

    public static final String SCOPE = "scope";
    public static final String COUNTER = "counter";
    /** TTL attribute, epoch seconds. */
    public static final String EXPIRES_AT = "expires_at";

    public static final String SYNCS = "syncs";
    public static final String FAILURES = "failures";
    public static final String FILES_SYNCED = "files_synced";
    public static final String SPEED_SUM = "speed_sum";
    public static final String SPEED_COUNT = "speed_count";
    public static final String DEVICES = "devices";
    /** Checkpoint attribute: a sequence number, zero-padded to {@link #SEQUENCE_WIDTH} digits. */
    public static final String SEQ = "seq";

    public static final String FLEET = "fleet";
    public static final String CHECKPOINT = "checkpoint";

    public static final String DAY = "day#";
    public static final String HOUR = "hour#";
    public static final String STATUS = "status#";

    public static final Duration DAY_TTL = Duration.ofDays(40);
    public static final Duration HOUR_TTL = Duration.ofDays(3);
    public static final Duration CHECKPOINT_TTL = Duration.ofDays(2);

    /** DynamoDB stream sequence numbers have 21 to 40 digits. */
    public static final int SEQUENCE_WIDTH = 40;

    private StatsItems() {
    }

    public static String siteScope(String site) {
        return "site#" + site;
    }

    /** The scopes an event or device of this site counts in: the fleet, and its site if it has one. */
    public static List<String> scopes(String siteOrNull) {
        return siteOrNull == null || siteOrNull.isEmpty() ? List.of(FLEET) : List.of(FLEET, siteScope(siteOrNull));
    }

    public static String scope(String siteOrNull) {
        return siteOrNull == null ? FLEET : siteScope(siteOrNull);
    }

    public static String dayCounter(LocalDate day, String shard) {
        return DAY + day + "#" + shard;
    }

    /** "hour#2026-11-01T08#07". */
    public static String hourCounter(Instant instant, String shard) {
        return HOUR + hourName(instant) + "#" + shard;
    }

    public static String statusCounter(String status, String shard) {
        return STATUS + status + "#" + shard;
    }

    /** "2026-11-01T08": the UTC hour an instant falls in. */
    public static String hourName(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS).toString().substring(0, 13);
    }

    public static long dayExpiry(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(DAY_TTL).getEpochSecond();
    }

    public static long hourExpiry(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS).plus(HOUR_TTL).getEpochSecond();
    }

    /** Sequence numbers compare as numbers; padded to one width they compare as strings too. */
    public static String paddedSequence(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(Character::isDigit)
                || sequenceNumber.length() > SEQUENCE_WIDTH) {
            throw new IllegalArgumentException("not a stream sequence number: " + sequenceNumber);
        }
        return "0".repeat(SEQUENCE_WIDTH - sequenceNumber.length()) + sequenceNumber;
    }
}
