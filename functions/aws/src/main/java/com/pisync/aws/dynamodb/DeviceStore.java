package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.pisync.domain.AlertTransition;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Reads and commits device items. Every state commit is guarded by the item's version. */
public final class DeviceStore {

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
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> a : DeviceItems.stateAttributes(after).entrySet()) {
            String name = "#a" + i;
            names.put(name, a.getKey());
            if (a.getValue() == null) {
                removes.add(name);
            } else {
                sets.add(name + " = :a" + i);
                values.put(":a" + i, a.getValue());
            }
            i++;
        }
        int x = 0;
        Map<String, AttributeValue> keys = new java.util.LinkedHashMap<>(DeviceIndexes.forStatus(after.deviceId(),
                before.site(), status, after.consecutiveFailures(), after.lastSeenAt()));
        if (!failureDays.equals(before.failureDays())) {
            keys.put(DeviceItems.FAILURE_DAYS, failureDays.isEmpty() ? null : DeviceItems.failureDaysValue(failureDays));
            keys.putAll(DeviceIndexes.forFailureDays(after.deviceId(), failureDays));
        }
        for (Map.Entry<String, AttributeValue> a : keys.entrySet()) {
            names.put("#x" + x, a.getKey());
            if (a.getValue() == null) {
                removes.add("#x" + x);
            } else {
                sets.add("#x" + x + " = :x" + x);
                values.put(":x" + x, a.getValue());
            }
            x++;
        }
        names.put("#inflight", DeviceItems.INFLIGHT);
        if (inflight.isEmpty()) {
            removes.add("#inflight");
        } else {
            sets.add("#inflight = :inflight");
            values.put(":inflight", AttributeValue.fromSs(List.copyOf(inflight)));
        }
        int o = 0;
        for (AlertTransition t : newTransitions) {
            names.put("#o" + o, DeviceItems.outboxAttribute(before.version() + 1, o, t));
            sets.add("#o" + o + " = :o" + o);
            values.put(":o" + o, DeviceItems.outboxEntry(t));
            o++;
        }
        names.put("#version", DeviceItems.VERSION);
        sets.add("#version = :next");
        values.put(":next", n(before.version() + 1));
        names.put("#created", DeviceItems.CREATED_AT);
        sets.add("#created = if_not_exists(#created, :now)");
        values.put(":now", time(now));

        String condition;
        names.put("#id", DeviceItems.DEVICE_ID);
        if (before.exists()) {
            condition = "attribute_exists(#id) AND #version = :expected";
            values.put(":expected", n(before.version()));
        } else {
            condition = "attribute_not_exists(#id)";
        }
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(DeviceItems.key(after.deviceId()))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Sets a new status (and the index keys that follow it) on a device whose sync state did not change,
     * e.g. when it turns offline. Bumps the version, so a processor commit based on an older read
     * retries and recomputes the status.
     *
     * @return false when the device changed since {@code before} was read
     */
    public boolean updateStatus(DeviceRecord before, DeviceStatus status) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        int x = 0;
        for (Map.Entry<String, AttributeValue> a : DeviceIndexes.forStatus(before.state().deviceId(), before.site(),
                status, before.state().consecutiveFailures(), before.state().lastSeenAt()).entrySet()) {
            names.put("#x" + x, a.getKey());
            if (a.getValue() == null) {
                removes.add("#x" + x);
            } else {
                sets.add("#x" + x + " = :x" + x);
                values.put(":x" + x, a.getValue());
            }
            x++;
        }
        names.put("#version", DeviceItems.VERSION);
        sets.add("#version = :next");
        values.put(":next", n(before.version() + 1));
        values.put(":expected", n(before.version()));
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(DeviceItems.key(before.state().deviceId()))
                    .updateExpression(update)
                    .conditionExpression("#version = :expected")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Takes an outbox entry for publishing until {@code until}, unless another publisher holds it.
     *
     * @return false when the entry is gone (already published) or claimed by someone else
     */
    public boolean claimOutbox(String deviceId, String attribute, String claim, Instant now, Instant until) {
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
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
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
