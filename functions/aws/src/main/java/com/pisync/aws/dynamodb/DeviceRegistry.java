package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.audit.AuditContext;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The admin side of the devices table: registering, editing, decommissioning devices and their
 * credentials. Every change is guarded by the item's version, like the processor's commits, so the
 * two never overwrite each other's view of status and site.
 */
public final class DeviceRegistry {

    private static final int ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where and as whom a change is audited: the audit log and the request's context. The entry goes into the same
     * TransactWriteItems as the change.
     */
    public record AuditTrail(DynamoAuditLog log, AuditContext context) {
        AuditEntry entry(String action, String targetType, String targetId, ObjectNode before, ObjectNode after) {
            return context.entry(action, targetType, targetId, before, after);
        }
    }

    /** When a device of {@code site} last seen at {@code lastSeenAt} turns offline (its site's calendar). */
    @FunctionalInterface
    public interface OfflineTimes {
        /**
         * @param calendarSeen the calendar version the device's stored offline time was computed from (null: none);
         *     a caching implementation reads the site again when it knows an older one
         */
        OfflineTime offlineAt(String site, Instant lastSeenAt, Instant calendarSeen);

        /** Every site without a calendar: 24 h of silence. */
        OfflineTimes NO_CALENDAR = (site, lastSeenAt, seen) -> new OfflineTime(DeviceStore.defaultOfflineAt(lastSeenAt),
                null);
    }

    /**
     * A device's offline time and the version of its site's calendar it came from: the profile's {@code updated_at}
     * (null: the site has no profile, the default window applied). Stored beside {@code offline_at} as
     * {@code calendar_at}, so a processor holding a cached profile can tell that it is older than one a device saw.
     */
    public record OfflineTime(Instant at, Instant calendar) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final OfflineTimes offlineTimes;
    private final java.time.Clock clock;

    public DeviceRegistry(DynamoDbClient dynamo, String table) {
        this(dynamo, table, OfflineTimes.NO_CALENDAR, java.time.Clock.systemUTC());
    }

    /** A registry that keeps {@code offline_at} in step with the device's site when its site changes. */
    public DeviceRegistry(DynamoDbClient dynamo, String table, OfflineTimes offlineTimes, java.time.Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.offlineTimes = offlineTimes;
        this.clock = clock;
    }

    /** The raw item, or null. */
    public Map<String, AttributeValue> get(String deviceId, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(DeviceItems.key(deviceId))
                .consistentRead(consistent).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** Items of these devices (eventually consistent), by id; missing ids are absent. */
    public Map<String, Map<String, AttributeValue>> getAll(List<String> deviceIds) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(deviceIds));
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(DeviceItems::key).toList();
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request =
                    Map.of(table, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).build());
            for (int round = 0; !request.isEmpty() && round < 8; round++) {
                var pending = request;
                var response = dynamo.batchGetItem(r -> r.requestItems(pending)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> found.put(item.get(DeviceItems.DEVICE_ID).s(), item));
                request = response.unprocessedKeys();
            }
            if (!request.isEmpty()) {
                throw new IllegalStateException("DynamoDB kept returning unprocessed keys; retry");
            }
        }
        return found;
    }

    public static boolean registered(Map<String, AttributeValue> item) {
        return item != null && item.containsKey(DeviceItems.REGISTERED_AT);
    }

    /**
     * Registers a device. A device that reported before it was registered keeps its history and state.
     *
     * @return the registered item, or null when the device is already registered
     */
    public Map<String, AttributeValue> register(DeviceProfile p, Instant now) {
        return register(p, now, null);
    }

    /** {@link #register(DeviceProfile, Instant)}, recording {@code device.register} in the same transaction. */
    public Map<String, AttributeValue> register(DeviceProfile p, Instant now, AuditTrail audit) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = get(p.deviceId(), true);
            if (registered(item)) {
                if (audit != null && audit.log().get(audit.entry("device.register", "device", p.deviceId(), null, null)
                        .auditId()) != null) {
                    return item; // this very request registered it (a retry)
                }
                return null;
            }
            DeviceStatus status = item == null ? DeviceStatus.NEVER_SYNCED : storedStatus(item);
            ItemUpdate u = new ItemUpdate();
            u.put(DeviceItems.NAME, s(p.name()));
            u.put(DeviceIndexes.NAME_KEY, s(DeviceIndexes.nameKey(p.name(), p.deviceId())));
            u.put(DeviceItems.TYPE, s(p.type()));
            u.put(DeviceItems.SITE, s(p.site()));
            u.put(DeviceItems.TAGS, tags(p.tags()));
            u.put(DeviceItems.REGISTERED_AT, time(now));
            u.setIfAbsent(DeviceItems.CREATED_AT, time(now));
            u.increment(DeviceItems.TOKEN_VERSION); // a device registered again after reporting keeps counting up
            indexes(u, p.deviceId(), p.site(), status, item);
            AuditEntry entry = audit == null ? null : audit.entry("device.register", "device", p.deviceId(), null,
                    profile(p.deviceId(), p.name(), p.type(), p.site(), p.tags(), status));
            Map<String, AttributeValue> result = apply(u, p.deviceId(), item, entry, audit);
            if (result != null) {
                return result;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("device " + p.deviceId() + " kept changing; retry");
            }
        }
    }

    /** @return the updated item, or null when the device is not registered */
    public Map<String, AttributeValue> patch(String deviceId, DeviceProfile p) {
        return patch(deviceId, p, null);
    }

    /** {@link #patch(String, DeviceProfile)}, recording {@code device.update} in the same transaction. */
    public Map<String, AttributeValue> patch(String deviceId, DeviceProfile p, AuditTrail audit) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = get(deviceId, true);
            if (!registered(item)) {
                return null;
            }
            ItemUpdate u = new ItemUpdate();
            String name = p.name() != null ? p.name() : item.get(DeviceItems.NAME).s();
            if (p.name() != null) {
                u.put(DeviceItems.NAME, s(p.name()));
                u.put(DeviceIndexes.NAME_KEY, s(DeviceIndexes.nameKey(name, deviceId)));
            }
            if (p.type() != null) {
                u.put(DeviceItems.TYPE, s(p.type()));
            }
            if (p.tags() != null) {
                u.put(DeviceItems.TAGS, tags(p.tags()));
            }
            if (p.site() != null) {
                u.put(DeviceItems.SITE, s(p.site()));
                indexes(u, deviceId, p.site(), storedStatus(item), item);
            }
            AuditEntry entry = audit == null ? null : audit.entry("device.update", "device", deviceId, profile(item),
                    profile(deviceId, name, p.type() != null ? p.type() : AttributeValues.string(item, DeviceItems.TYPE),
                            p.site() != null ? p.site() : AttributeValues.string(item, DeviceItems.SITE),
                            p.tags() != null ? p.tags() : tagList(item), storedStatus(item)));
            Map<String, AttributeValue> result = apply(u, deviceId, item, entry, audit);
            if (result != null) {
                return result;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("device " + deviceId + " kept changing; retry");
            }
        }
    }

    public enum Outcome { DONE, NOT_FOUND, DECOMMISSIONED }

    /**
     * Decommissions a device: status decommissioned, credentials revoked, the open alert resolved (its
     * transition goes to the outbox for publishing). History is kept. Repeating it changes nothing.
     */
    public Outcome decommission(String deviceId, Instant now) {
        return decommission(deviceId, now, null);
    }

    /** {@link #decommission(String, Instant)}, recording {@code device.decommission} in the same transaction. */
    public Outcome decommission(String deviceId, Instant now, AuditTrail audit) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = get(deviceId, true);
            if (!registered(item)) {
                return Outcome.NOT_FOUND;
            }
            DeviceRecord record = DeviceItems.fromItem(deviceId, item);
            if (record.decommissioned()) {
                return Outcome.DECOMMISSIONED;
            }
            ItemUpdate u = new ItemUpdate();
            u.put(DeviceItems.DECOMMISSIONED_AT, time(now));
            u.increment(DeviceItems.TOKEN_VERSION);
            indexes(u, deviceId, record.site(), DeviceStatus.DECOMMISSIONED, item);
            if (record.state().openAlert() != null) {
                AlertTransition resolved = new AlertTransition(AlertTransition.Kind.RECOVERED,
                        record.state().openAlert().resolved(now));
                u.put(DeviceItems.OPEN_ALERT, null);
                u.put(DeviceItems.outboxAttribute(record.version() + 1, 0, resolved), DeviceItems.outboxEntry(resolved, null));
                // A decommissioned device never syncs again: if this publish fails, the sweeper retries it.
                DeviceIndexes.forPendingAlerts(deviceId, now).forEach(u::put);
            }
            AuditEntry entry = audit == null ? null : audit.entry("device.decommission", "device", deviceId,
                    profile(item), profile(deviceId, AttributeValues.string(item, DeviceItems.NAME), AttributeValues.string(item, DeviceItems.TYPE),
                            record.site(), tagList(item), DeviceStatus.DECOMMISSIONED));
            if (apply(u, deviceId, item, entry, audit) != null) {
                return Outcome.DONE;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("device " + deviceId + " kept changing; retry");
            }
        }
    }

    /** The device's credential version after a change, or why there is none. */
    public record Credential(Outcome outcome, long version) {
    }

    /** Moves the device to a new credential version; tokens of the old one stop working. */
    public Credential rotateToken(String deviceId) {
        return rotateToken(deviceId, null);
    }

    /**
     * {@link #rotateToken(String)}, recording {@code device.rotate_token} in the same transaction (the token
     * versions before and after; never a token).
     */
    public Credential rotateToken(String deviceId, AuditTrail audit) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = get(deviceId, true);
            if (!registered(item)) {
                return new Credential(Outcome.NOT_FOUND, 0);
            }
            if (item.containsKey(DeviceItems.DECOMMISSIONED_AT)) {
                return new Credential(Outcome.DECOMMISSIONED, 0);
            }
            ItemUpdate u = new ItemUpdate();
            u.increment(DeviceItems.TOKEN_VERSION);
            long tokenVersion = AttributeValues.longOr(item, DeviceItems.TOKEN_VERSION, 0);
            AuditEntry entry = audit == null ? null : audit.entry("device.rotate_token", "device", deviceId,
                    tokenVersion(tokenVersion), tokenVersion(tokenVersion + 1));
            Map<String, AttributeValue> after = apply(u, deviceId, item, entry, audit);
            if (after != null) {
                return new Credential(Outcome.DONE, Long.parseLong(after.get(DeviceItems.TOKEN_VERSION).n()));
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("device " + deviceId + " kept changing; retry");
            }
        }
    }

    private static DeviceStatus storedStatus(Map<String, AttributeValue> item) {
        AttributeValue status = item.get(DeviceItems.STATUS);
        return status == null ? DeviceStatus.NEVER_SYNCED : DeviceStatus.fromWireName(status.s());
    }

    private void indexes(ItemUpdate u, String deviceId, String site, DeviceStatus status,
            Map<String, AttributeValue> item) {
        DeviceRecord record = item == null ? null : DeviceItems.fromItem(deviceId, item);
        java.time.Instant lastSeen = record == null ? null : record.state().lastSeenAt();
        OfflineTime timing = lastSeen == null ? new OfflineTime(null, null) : offlineTimes.offlineAt(site, lastSeen, null);
        java.time.Instant offlineAt = timing.at();
        u.put(DeviceItems.CALENDAR_AT, DeviceItems.calendarValue(timing.calendar()));
        if (offlineAt != null && (status == DeviceStatus.HEALTHY || status == DeviceStatus.OFFLINE)) {
            // The site (so its calendar) may have changed: offline or not is decided again.
            status = clock.instant().isAfter(offlineAt) ? DeviceStatus.OFFLINE : DeviceStatus.HEALTHY;
        }
        DeviceIndexes.forStatus(deviceId, site, status, record == null ? 0 : record.state().consecutiveFailures(),
                offlineAt).forEach(u::put);
        if (record != null) {
            DeviceIndexes.forRisk(deviceId, site, status == DeviceStatus.DECOMMISSIONED, record.state()).forEach(u::put);
        }
    }

    private static AttributeValue tags(List<String> tags) {
        return AttributeValue.fromL(tags.stream().map(AttributeValue::fromS).toList());
    }

    /**
     * Applies the update if the item is still as read, together with the audit entry when there is one (one
     * transaction); then the item as it is now. A retry of a request already applied (its entry exists) writes
     * nothing and also answers the item as it is now.
     */
    private Map<String, AttributeValue> apply(ItemUpdate u, String deviceId, Map<String, AttributeValue> before,
            AuditEntry entry, AuditTrail audit) {
        if (entry == null) {
            return apply(u, deviceId, before);
        }
        ItemUpdate.Outcome outcome = u.applyAudited(dynamo, table, DeviceItems.key(deviceId), condition(u, before),
                AuditItems.transactPut(audit.log().table(), entry), entry.auditId());
        return outcome == ItemUpdate.Outcome.CONDITION_FAILED ? null : get(deviceId, true);
    }

    /** Applies the update if the item is still as read ({@code before}; null: still absent). */
    private Map<String, AttributeValue> apply(ItemUpdate u, String deviceId, Map<String, AttributeValue> before) {
        return u.apply(dynamo, table, DeviceItems.key(deviceId), condition(u, before), true);
    }

    /** The version guard (which also bumps the version). */
    private static String condition(ItemUpdate u, Map<String, AttributeValue> before) {
        long version = before == null ? 0 : AttributeValues.longOr(before, DeviceItems.VERSION, 0);
        String condition;
        if (before == null) {
            condition = "attribute_not_exists(" + u.name(DeviceItems.DEVICE_ID) + ")";
        } else if (version == 0) {
            condition = "attribute_exists(" + u.name(DeviceItems.DEVICE_ID) + ") AND attribute_not_exists("
                    + u.name(DeviceItems.VERSION) + ")";
        } else {
            condition = u.name(DeviceItems.VERSION) + " = " + u.value(n(version));
        }
        u.put(DeviceItems.VERSION, n(version + 1));
        return condition;
    }

    /** What the audit log keeps of a device: its registry fields and status (never its token hash). */
    static ObjectNode profile(Map<String, AttributeValue> item) {
        return profile(AttributeValues.string(item, DeviceItems.DEVICE_ID), AttributeValues.string(item, DeviceItems.NAME),
                AttributeValues.string(item, DeviceItems.TYPE), AttributeValues.string(item, DeviceItems.SITE),
                tagList(item), storedStatus(item));
    }

    /** As the audit log keeps a device (also for in-memory registrars, which must record the same entries). */
    public static ObjectNode profile(String deviceId, String name, String type, String site, List<String> tags,
            DeviceStatus status) {
        ObjectNode n = JSON.createObjectNode();
        n.put("device_id", deviceId);
        n.put("name", name);
        n.put("type", type);
        n.put("site", site);
        var array = n.putArray("tags");
        (tags == null ? List.<String>of() : tags).forEach(array::add);
        n.put("status", status.wireName());
        return n;
    }

    private static ObjectNode tokenVersion(long version) {
        return JSON.createObjectNode().put("token_version", version);
    }

    private static List<String> tagList(Map<String, AttributeValue> item) {
        AttributeValue tags = item.get(DeviceItems.TAGS);
        return tags == null || !tags.hasL() ? List.of() : tags.l().stream().map(AttributeValue::s).toList();
    }
}
