package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.pisync.aws.ports.DeviceCommits;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Reads and commits device items. Every state commit is guarded by the item's version. */
public final class DeviceStore implements DeviceCommits {

    private final DynamoDbClient dynamo;
    private final String table;

    public DeviceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A strongly consistent read. */
    public DeviceRecord load(String deviceId) {
        return load(deviceId, true);
    }

    /**
     * An eventually consistent read costs half; a commit based on a stale read fails its version
     * check, so callers that commit may start with one and read consistently on retry.
     */
    @Override
    public DeviceRecord load(String deviceId, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(DeviceItems.key(deviceId))
                .consistentRead(consistent)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        return DeviceItems.fromItem(deviceId, item);
    }

    /**
     * Writes the new sync state, in-flight keys and new outbox entries, if nobody committed since
     * {@code before} was read. Registry attributes (name, site, tags...) are left as they are.
     *
     * @return false when another commit came first (read again and retry)
     */
    public boolean commit(DeviceRecord before, DeviceState after, DeviceStatus status, Set<String> inflight,
            List<AlertTransition> newTransitions, Map<String, Integer> failureDays, Instant now) {
        return commit(before, after, status, inflight, newTransitions, failureDays,
                new DeviceRegistry.OfflineTime(defaultOfflineAt(after.lastSeenAt()), null), now);
    }

    /** Offline after 24 h of silence: a site without a calendar. */
    static Instant defaultOfflineAt(Instant lastSeenAt) {
        return lastSeenAt == null ? null : lastSeenAt.plus(DeviceStatus.DEFAULT_OFFLINE_WINDOW);
    }

    /**
     * As {@link #commit(DeviceRecord, DeviceState, DeviceStatus, Set, List, Map, Instant)}, with the device's
     * calendar-aware {@code offline_at} (its site's calendar from the new {@code last_seen_at}) and that calendar's
     * version.
     */
    @Override
    public boolean commit(DeviceRecord before, DeviceState after, DeviceStatus status, Set<String> inflight,
            List<AlertTransition> newTransitions, Map<String, Integer> failureDays, DeviceRegistry.OfflineTime offline,
            Instant now, OutboxLease lease) {
        Instant offlineAt = offline.at();
        ItemUpdate u = new ItemUpdate()
                .putAll(DeviceItems.stateAttributes(after))
                .putAll(DeviceIndexes.forStatusKeepingWatch(after.deviceId(), before.site(), status,
                        after.consecutiveFailures(), offlineAt, before.watchedHour()))
                .putAll(DeviceIndexes.forRisk(after.deviceId(), before.site(), before.decommissioned(), after))
                .put(DeviceItems.INFLIGHT, DeviceItems.inflightValue(inflight));
        if (!java.util.Objects.equals(offline.calendar(), before.calendarAt())) {
            u.put(DeviceItems.CALENDAR_AT, DeviceItems.calendarValue(offline.calendar()));
        }
        if (!failureDays.equals(before.failureDays())) {
            u.put(DeviceItems.FAILURE_DAYS, failureDays.isEmpty() ? null : DeviceItems.failureDaysValue(failureDays));
            u.putAll(DeviceIndexes.forFailureDays(after.deviceId(), failureDays));
        }
        for (int i = 0; i < newTransitions.size(); i++) {
            AlertTransition t = newTransitions.get(i);
            u.put(DeviceItems.outboxAttribute(before.version() + 1, i, t), DeviceItems.outboxEntry(t, lease));
        }
        u.put(DeviceItems.VERSION, n(before.version() + 1)).setIfAbsent(DeviceItems.CREATED_AT, time(now));
        return u.apply(dynamo, table, DeviceItems.key(after.deviceId()), versionCondition(u, before), false) != null;
    }

    /** The item is as {@code before} was read: same version, or still absent. */
    static String versionCondition(ItemUpdate u, DeviceRecord before) {
        return before.exists()
                ? "attribute_exists(" + u.name(DeviceItems.DEVICE_ID) + ") AND " + u.name(DeviceItems.VERSION) + " = "
                        + u.value(n(before.version()))
                : "attribute_not_exists(" + u.name(DeviceItems.DEVICE_ID) + ")";
    }

    /**
     * Sets a new status (and the index keys that follow it) on a device whose sync state did not change,
     * e.g. when it turns offline. Bumps the version, so a processor commit based on an older read
     * retries and recomputes the status.
     *
     * @return false when the device changed since {@code before} was read
     */
    public boolean updateStatus(DeviceRecord before, DeviceStatus status) {
        return updateStatus(before, status, new DeviceRegistry.OfflineTime(before.offlineAt() != null
                ? before.offlineAt() : defaultOfflineAt(before.state().lastSeenAt()), before.calendarAt()));
    }

    /**
     * As {@link #updateStatus(DeviceRecord, DeviceStatus)}, also setting {@code offline_at} and the calendar version
     * it came from (a site's calendar changed).
     */
    public boolean updateStatus(DeviceRecord before, DeviceStatus status, DeviceRegistry.OfflineTime offline) {
        ItemUpdate u = updateStatusOf(before, status, offline.at())
                .put(DeviceItems.CALENDAR_AT, DeviceItems.calendarValue(offline.calendar()));
        return u.apply(dynamo, table, DeviceItems.key(before.state().deviceId()), versionCondition(u, before), false)
                != null;
    }

    private static ItemUpdate updateStatusOf(DeviceRecord before, DeviceStatus status, Instant offlineAt) {
        return new ItemUpdate()
                .putAll(DeviceIndexes.forStatus(before.state().deviceId(), before.site(), status,
                        before.state().consecutiveFailures(), offlineAt))
                .putAll(DeviceIndexes.forRisk(before.state().deviceId(), before.site(),
                        status == DeviceStatus.DECOMMISSIONED, before.state()))
                .put(DeviceItems.VERSION, n(before.version() + 1));
    }

    /** What became of an attempt to claim an outbox entry. */
    public enum OutboxClaim {
        /** The entry is ours until the lease ends. */
        CLAIMED,
        /** The entry is gone: its transition was published. */
        GONE,
        /** Another publisher holds an unexpired claim (it may be publishing now, or have died). */
        HELD
    }

    /**
     * Takes an outbox entry for publishing until {@code until}, unless another publisher holds it.
     *
     * <p>The SDK may send the update twice (an attempt timed out after DynamoDB applied it); the second
     * one then fails its condition against our own claim. So a failed condition is looked at: an entry
     * carrying {@code claim} is ours.
     */
    public OutboxClaim claimOutbox(String deviceId, String attribute, String claim, Instant now, Instant until) {
        Map<String, AttributeValue> current;
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(DeviceItems.key(deviceId))
                    .updateExpression("SET #e.#claim = :claim, #e.#until = :until")
                    .conditionExpression("attribute_exists(#e) AND (attribute_not_exists(#e.#until) OR #e.#until < :now)")
                    .expressionAttributeNames(Map.of("#e", attribute, "#claim", DeviceItems.OUTBOX_CLAIM,
                            "#until", DeviceItems.OUTBOX_CLAIMED_UNTIL))
                    .expressionAttributeValues(Map.of(":claim", s(claim), ":until", n(until.toEpochMilli()),
                            ":now", n(now.toEpochMilli())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return OutboxClaim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            current = dynamo.getItem(r -> r.tableName(table)
                    .key(DeviceItems.key(deviceId))
                    .consistentRead(true)
                    .projectionExpression("#e")
                    .expressionAttributeNames(Map.of("#e", attribute))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        }
        AttributeValue entry = current == null ? null : current.get(attribute);
        if (entry == null || !entry.hasM()) {
            return OutboxClaim.GONE;
        }
        AttributeValue holder = entry.m().get(DeviceItems.OUTBOX_CLAIM);
        return holder != null && claim.equals(holder.s()) ? OutboxClaim.CLAIMED : OutboxClaim.HELD;
    }

    /** Removes a published outbox entry; only the claim holder may. */
    public void completeOutbox(String deviceId, String attribute, String claim) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(DeviceItems.key(deviceId))
                    .updateExpression("REMOVE #e")
                    .conditionExpression("#e.#claim = :claim")
                    .expressionAttributeNames(Map.of("#e", attribute, "#claim", DeviceItems.OUTBOX_CLAIM))
                    .expressionAttributeValues(Map.of(":claim", s(claim)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException e) {
            // Our claim expired and another publisher took over; it completes the entry.
        }
    }

    /** Gives up a claim after a failed publish, so the next attempt need not wait for it to expire. */
    public void releaseOutbox(String deviceId, String attribute, String claim) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(DeviceItems.key(deviceId))
                    .updateExpression("REMOVE #e.#claim, #e.#until")
                    .conditionExpression("#e.#claim = :claim")
                    .expressionAttributeNames(Map.of("#e", attribute, "#claim", DeviceItems.OUTBOX_CLAIM,
                            "#until", DeviceItems.OUTBOX_CLAIMED_UNTIL))
                    .expressionAttributeValues(Map.of(":claim", s(claim)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException e) {
            // Already expired and taken over; nothing to give up.
        }
    }
}
