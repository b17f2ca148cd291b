package com.pisync.stats;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.dynamodb.StreamImage;
import com.pisync.aws.dynamodb.SyncEventItems;
import com.pisync.aws.stats.CounterUpdate;
import com.pisync.aws.stats.RecordCounters;
import com.pisync.aws.stats.StatsItems;
import com.pisync.domain.Outcome;
import com.pisync.domain.ReceivedSyncEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What each stream record adds to the fleet counters; plain logic, no AWS calls.
 *
 * <ul>
 *   <li>{@code sync_events}: each stored event counts once: an event item when inserted (a repeated
 *       write of the same item is a MODIFY), an upload item's events when it is inserted and an event
 *       joining it when it is modified; error entries are copies and never count. An event adds one sync (and one failure if it failed), its
 *       files and speed to the day of its <em>device timestamp</em> (what the dashboard charts) and
 *       to the hour of its <em>server receipt</em> (what "last 24 h" means: device clocks are not
 *       trusted for it), in the fleet and in its site.</li>
 *   <li>{@code devices}: a write that changes the status or the site moves one device from (old
 *       site, old status) to (new site, new status); creating or deleting an item only adds or only
 *       takes away. Most device writes change neither and count nothing.</li>
 * </ul>
 * Counters already past their expiry (an event dated more than 40 days back) are not written.
 */
public final class FleetCounting {

    public enum Source { SYNC_EVENTS, DEVICES, OTHER }

    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final BigDecimal MINUS_ONE = BigDecimal.ONE.negate();

    private final String syncEventsTable;
    private final String devicesTable;

    public FleetCounting(String syncEventsTable, String devicesTable) {
        this.syncEventsTable = syncEventsTable;
        this.devicesTable = devicesTable;
    }

    /**
     * Names one delivery of records (see {@link com.pisync.aws.dynamodb.FleetCounterStore}): the stream and
     * the first record, which a retry of the delivery starts with again.
     */
    public static String deliveryId(DynamodbStreamRecord first) {
        return first.getEventSourceARN() + "#" + StatsItems.paddedSequence(first.getDynamodb().getSequenceNumber())
                + "#" + Objects.requireNonNullElse(first.getEventID(), "");
    }

    /** The counter shard a delivery writes: spread by delivery, so concurrent stream shards rarely share items. */
    public static String counterShard(String deliveryId) {
        return Shards.name(Math.floorMod(deliveryId.hashCode(), Shards.COUNT));
    }

    /** Which table a record is from: by the stream ARN, else by its key attributes. */
    public Source sourceOf(DynamodbStreamRecord record) {
        String table = tableOf(record.getEventSourceARN());
        if (syncEventsTable.equals(table)) {
            return Source.SYNC_EVENTS;
        }
        if (devicesTable.equals(table)) {
            return Source.DEVICES;
        }
        Set<String> keys = record.getDynamodb() == null || record.getDynamodb().getKeys() == null ? Set.of()
                : record.getDynamodb().getKeys().keySet();
        if (keys.contains(SyncEventItems.ORDER_KEY)) {
            return Source.SYNC_EVENTS;
        }
        if (keys.size() == 1 && keys.contains(DeviceItems.DEVICE_ID)) {
            return Source.DEVICES;
        }
        return Source.OTHER;
    }

    /**
     * @param shard the counter shard this delivery writes
     * @param now the server clock, for counters already expired
     * @throws IllegalArgumentException for a record without the attributes it should have
     */
    public RecordCounters count(DynamodbStreamRecord record, String shard, Instant now) {
        String seq = record.getDynamodb().getSequenceNumber();
        List<CounterUpdate> updates = switch (sourceOf(record)) {
            case SYNC_EVENTS -> syncEvents(record, shard, now);
            case DEVICES -> device(StreamImage.of(record.getDynamodb().getOldImage()),
                    StreamImage.of(record.getDynamodb().getNewImage()), shard);
            case OTHER -> List.of();
        };
        return new RecordCounters(seq, updates);
    }

    /**
     * An event item counts when inserted; an upload item counts its events when inserted and the events that
     * joined it when modified; an error entry (a copy of an event counted in its upload item) never counts.
     */
    private static List<CounterUpdate> syncEvents(DynamodbStreamRecord record, String shard, Instant now) {
        boolean insert = "INSERT".equals(record.getEventName());
        if (!insert && !"MODIFY".equals(record.getEventName())) {
            return List.of();
        }
        if (record.getDynamodb().getNewImage() == null) {
            throw new IllegalArgumentException("sync event " + record.getEventName() + " without a new image");
        }
        StreamImage item = StreamImage.of(record.getDynamodb().getNewImage());
        String key = string(item, SyncEventItems.ORDER_KEY);
        if (key != null && SyncEventItems.isErrorEntry(key)) {
            return List.of();
        }
        byte[] packed = item.bytes(SyncEventItems.EVENTS);
        if (packed == null) {
            return insert ? syncEvent(item, shard, now) : List.of();
        }
        String deviceId = string(item, SyncEventItems.DEVICE_ID);
        List<ReceivedSyncEvent> events = SyncEventItems.uploadEvents(deviceId, packed);
        if (!insert) {
            byte[] before = StreamImage.of(record.getDynamodb().getOldImage()).bytes(SyncEventItems.EVENTS);
            Set<String> counted = before == null ? Set.of() : SyncEventItems.uploadEvents(deviceId, before).stream()
                    .map(ReceivedSyncEvent::orderKey).collect(Collectors.toSet());
            events = events.stream().filter(e -> !counted.contains(e.orderKey())).toList();
        }
        String site = string(item, SyncEventItems.SITE);
        Map<CounterUpdate.Key, CounterUpdate> merged = new java.util.LinkedHashMap<>(); // one update per counter
        for (ReceivedSyncEvent e : events) {
            syncEvent(e.event().timestamp(), e.receivedAt(), e.event().failed(),
                    BigDecimal.valueOf(e.event().totalFilesSynced()), BigDecimal.valueOf(e.event().internetSpeed()),
                    site, shard, now).forEach(u -> merged.merge(u.key(), u, CounterUpdate::plus));
        }
        return List.copyOf(merged.values());
    }

    private static List<CounterUpdate> syncEvent(StreamImage item, String shard, Instant now) {
        return syncEvent(instant(item, SyncEventItems.TIMESTAMP), instant(item, SyncEventItems.RECEIVED_AT),
                failed(item), number(item, SyncEventItems.TOTAL_FILES_SYNCED),
                number(item, SyncEventItems.INTERNET_SPEED), string(item, SyncEventItems.SITE), shard, now);
    }

    private static List<CounterUpdate> syncEvent(Instant timestamp, Instant received, boolean failed,
            BigDecimal files, BigDecimal speed, String site, String shard, Instant now) {
        LocalDate day = LocalDate.ofInstant(timestamp, ZoneOffset.UTC);
        BigDecimal failures = failed ? ONE : BigDecimal.ZERO;
        long dayExpiry = StatsItems.dayExpiry(day);
        long hourExpiry = StatsItems.hourExpiry(received);
        List<CounterUpdate> updates = new ArrayList<>();
        for (String scope : StatsItems.scopes(site)) {
            if (dayExpiry > now.getEpochSecond()) {
                updates.add(CounterUpdate.of(scope, StatsItems.dayCounter(day, shard), Map.of(
                        StatsItems.SYNCS, ONE, StatsItems.FAILURES, failures, StatsItems.FILES_SYNCED, files), dayExpiry));
            }
            if (hourExpiry > now.getEpochSecond()) {
                updates.add(CounterUpdate.of(scope, StatsItems.hourCounter(received, shard), Map.of(
                        StatsItems.SYNCS, ONE, StatsItems.FAILURES, failures, StatsItems.FILES_SYNCED, files,
                        StatsItems.SPEED_SUM, speed, StatsItems.SPEED_COUNT, ONE), hourExpiry));
            }
        }
        return updates;
    }

    private static List<CounterUpdate> device(StreamImage before, StreamImage after, String shard) {
        String oldStatus = string(before, DeviceItems.STATUS);
        String newStatus = string(after, DeviceItems.STATUS);
        String oldSite = string(before, DeviceItems.SITE);
        String newSite = string(after, DeviceItems.SITE);
        if (Objects.equals(oldStatus, newStatus) && Objects.equals(oldSite, newSite)) {
            return List.of();
        }
        List<CounterUpdate> updates = new ArrayList<>();
        if (oldStatus != null) {
            for (String scope : StatsItems.scopes(oldSite)) {
                updates.add(CounterUpdate.of(scope, StatsItems.statusCounter(oldStatus, shard),
                        Map.of(StatsItems.DEVICES, MINUS_ONE), null));
            }
        }
        if (newStatus != null) {
            for (String scope : StatsItems.scopes(newSite)) {
                updates.add(CounterUpdate.of(scope, StatsItems.statusCounter(newStatus, shard),
                        Map.of(StatsItems.DEVICES, ONE), null));
            }
        }
        return updates;
    }

    /** "failed" as stored; items without an outcome fall back to the contract's rule (any error). */
    private static boolean failed(StreamImage item) {
        String outcome = string(item, SyncEventItems.OUTCOME);
        if (outcome != null) {
            return Outcome.fromWireName(outcome) == Outcome.FAILED;
        }
        return number(item, SyncEventItems.TOTAL_ERRORS).signum() > 0;
    }

    /** "arn:aws:dynamodb:us-east-1:123456789012:table/pisync-devices/stream/2026-..." → "pisync-devices". */
    static String tableOf(String streamArn) {
        if (streamArn == null) {
            return null;
        }
        int from = streamArn.indexOf(":table/");
        int to = streamArn.indexOf("/stream/");
        return from < 0 || to < from ? null : streamArn.substring(from + ":table/".length(), to);
    }

    private static String string(StreamImage item, String name) {
        return item.string(name);
    }

    private static BigDecimal number(StreamImage item, String name) {
        String v = item.number(name);
        if (v == null) {
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + v, e);
        }
    }

    private static Instant instant(StreamImage item, String name) {
        String v = string(item, name);
        if (v == null) {
            throw new IllegalArgumentException("sync event without " + name);
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not an ISO instant: " + v, e);
        }
    }
}
