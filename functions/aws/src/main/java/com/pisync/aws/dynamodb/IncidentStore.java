package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.longOr;
import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.putIfPresent;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;

import com.pisync.domain.AlertState;
import com.pisync.domain.Incident;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Site incidents (contract v1.1). One table, partition key {@code pk}, sort key {@code sk}:
 *
 * <pre>
 * pk              sk                 what
 * site#&lt;site&gt;     state              the site's incident state: generation (incidents so far), open_incident,
 *                                    last_incident; every transition is conditional on it
 * &lt;incident_id&gt;   incident           the incident; index keys all_shard/state_shard/site + opened_key (newest
 *                                    first); notify_opened / notify_resolved while its SNS message is unpublished
 * &lt;incident_id&gt;   device#&lt;device_id&gt; a device affected while the incident was open
 * </pre>
 *
 * Only incident items carry the index keys, so the indexes hold incidents and nothing else.
 */
public final class IncidentStore {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String INCIDENT_ID = "incident_id";
    public static final String SITE = "site";
    public static final String STATE = "state";
    public static final String OPENED_AT = "opened_at";
    public static final String RESOLVED_AT = "resolved_at";
    public static final String DEVICES_AFFECTED = "devices_affected";
    public static final String DEVICES_ACTIVE = "devices_active";
    public static final String PEAK_AFFECTED = "peak_affected";
    public static final String GENERATION = "generation";
    public static final String OPEN_INCIDENT = "open_incident";
    public static final String LAST_INCIDENT = "last_incident";
    public static final String DEVICE_ID = "device_id";

    public static final String ALL_INCIDENTS = "all_incidents";
    public static final String BY_STATE = "by_state";
    public static final String BY_SITE = "by_site";
    public static final String ALL_SHARD = "all_shard";
    public static final String STATE_SHARD = "state_shard";
    /** Newest first: opened_at then incident id. */
    public static final String OPENED_KEY = "opened_key";

    static final String STATE_ITEM = "state";
    static final String INCIDENT_ITEM = "incident";
    static final String DEVICE_PREFIX = "device#";

    /** A notification of a transition: pending until published. */
    public enum Notification {
        OPENED("notify_opened", Incident.OPENED),
        RESOLVED("notify_resolved", Incident.RESOLVED);

        final String attribute;
        private final String type;

        Notification(String attribute, String type) {
            this.attribute = attribute;
            this.type = type;
        }

        public String type() {
            return type;
        }

        String leaseAttribute() {
            return attribute + "_lease";
        }
    }

    /** A site's incident state: how many incidents it had, the open one and the latest one (null: none). */
    public record SiteState(long generation, String openIncidentId, String lastIncidentId) {
    }

    /** An incident and its notifications not yet published, in order. */
    public record Stored(Incident incident, List<Notification> pending) {
    }

    /** Devices listed per incident at most (a site is a school: far fewer). */
    public static final int MAX_DEVICES = 10_000;

    private static final String PENDING = "pending";

    private final DynamoDbClient dynamo;
    private final String table;

    public IncidentStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    public SiteState state(String site, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(siteKey(site), STATE_ITEM))
                .consistentRead(consistent).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        if (item == null || item.isEmpty()) {
            return new SiteState(0, null, null);
        }
        return new SiteState(longOr(item, GENERATION, 0), string(item, OPEN_INCIDENT), string(item, LAST_INCIDENT));
    }

    /** The site's open incident id, or null (one eventually consistent read: what alert publishing asks). */
    public String openIncidentId(String site) {
        return site == null || site.isEmpty() ? null : state(site, false).openIncidentId();
    }

    public Stored get(String incidentId, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(incidentId, INCIDENT_ITEM))
                .consistentRead(consistent).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        List<Notification> pending = new ArrayList<>();
        for (Notification n : Notification.values()) {
            if (item.containsKey(n.attribute)) {
                pending.add(n);
            }
        }
        return new Stored(fromItem(item), pending);
    }

    /**
     * Opens the site's next incident: the state moves from generation {@code expected.generation()} (with none
     * open) to the next, in one transaction with the incident item, its opening notification pending.
     *
     * @return false when the state moved first (another evaluation opened it, or it is not what was read)
     */
    public boolean open(String site, SiteState expected, Incident incident) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":next", n(expected.generation() + 1));
        values.put(":id", s(incident.incidentId()));
        String condition = "attribute_not_exists(#open) AND ";
        if (expected.generation() == 0) {
            condition += "attribute_not_exists(#gen)";
        } else {
            condition += "#gen = :gen";
            values.put(":gen", n(expected.generation()));
        }
        Update state = Update.builder().tableName(table).key(key(siteKey(site), STATE_ITEM))
                .updateExpression("SET #gen = :next, #open = :id, #last = :id")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#gen", GENERATION, "#open", OPEN_INCIDENT, "#last", LAST_INCIDENT))
                .expressionAttributeValues(values).build();
        Map<String, AttributeValue> item = toItem(incident);
        item.put(Notification.OPENED.attribute, s(PENDING));
        Put put = Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK)).build();
        return transact(List.of(TransactWriteItem.builder().update(state).build(),
                TransactWriteItem.builder().put(put).build()));
    }

    /**
     * Resolves the site's open incident: the state forgets it and the incident is rewritten resolved, with its
     * resolution notification pending, in one transaction.
     *
     * @return false when it was resolved already (or is no longer the open one)
     */
    public boolean resolve(Incident resolved) {
        Update state = Update.builder().tableName(table).key(key(siteKey(resolved.site()), STATE_ITEM))
                .updateExpression("REMOVE #open")
                .conditionExpression("#open = :id")
                .expressionAttributeNames(Map.of("#open", OPEN_INCIDENT))
                .expressionAttributeValues(Map.of(":id", s(resolved.incidentId()))).build();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#state", STATE);
        names.put("#shard", STATE_SHARD);
        names.put("#resolved", RESOLVED_AT);
        names.put("#affected", DEVICES_AFFECTED);
        names.put("#active", DEVICES_ACTIVE);
        names.put("#peak", PEAK_AFFECTED);
        names.put("#notify", Notification.RESOLVED.attribute);
        values.put(":resolved", s(AlertState.RESOLVED.wireName()));
        values.put(":open", s(AlertState.OPEN.wireName()));
        values.put(":shard", s(AlertState.RESOLVED.wireName() + "#" + Shards.of(resolved.incidentId())));
        values.put(":at", s(resolved.resolvedAt().toString()));
        values.put(":affected", n(resolved.devicesAffected()));
        values.put(":active", n(resolved.devicesActive()));
        values.put(":peak", n(resolved.peakAffected()));
        values.put(":pending", s(PENDING));
        Update incident = Update.builder().tableName(table).key(key(resolved.incidentId(), INCIDENT_ITEM))
                .updateExpression("SET #state = :resolved, #shard = :shard, #resolved = :at, #affected = :affected, "
                        + "#active = :active, #peak = :peak, #notify = :pending")
                .conditionExpression("#state = :open")
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
        return transact(List.of(TransactWriteItem.builder().update(state).build(),
                TransactWriteItem.builder().update(incident).build()));
    }

    /** The open incident's latest counts; the peak is only ever raised. Idempotent. */
    public void updateCounts(Incident open) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":affected", n(open.devicesAffected()));
        values.put(":active", n(open.devicesActive()));
        values.put(":peak", n(open.peakAffected()));
        values.put(":open", s(AlertState.OPEN.wireName()));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(open.incidentId(), INCIDENT_ITEM))
                    .updateExpression("SET #affected = :affected, #active = :active, "
                            + "#peak = if_not_exists(#peak, :peak)")
                    .conditionExpression("#state = :open")
                    .expressionAttributeNames(Map.of("#affected", DEVICES_AFFECTED, "#active", DEVICES_ACTIVE,
                            "#peak", PEAK_AFFECTED, "#state", STATE))
                    .expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            dynamo.updateItem(r -> r.tableName(table).key(key(open.incidentId(), INCIDENT_ITEM))
                    .updateExpression("SET #peak = :peak")
                    .conditionExpression("#state = :open AND #peak < :peak")
                    .expressionAttributeNames(Map.of("#peak", PEAK_AFFECTED, "#state", STATE))
                    .expressionAttributeValues(Map.of(":peak", n(open.peakAffected()), ":open",
                            s(AlertState.OPEN.wireName())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException e) {
            // resolved meanwhile, or the peak is already as high: nothing to change
        }
    }

    /** Records devices as affected by the incident (idempotent puts). */
    public void addDevices(String incidentId, Collection<String> deviceIds) {
        List<WriteRequest> writes = new ArrayList<>();
        for (String id : new LinkedHashSet<>(deviceIds)) {
            writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of(PK, s(incidentId), SK,
                    s(DEVICE_PREFIX + id), DEVICE_ID, s(id)))).build());
        }
        for (int from = 0; from < writes.size(); from += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from, Math.min(writes.size(), from + 25)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 8) {
                    throw new IllegalStateException("could not record the devices of incident " + incidentId);
                }
                Map<String, List<WriteRequest>> request = pending;
                var response = dynamo.batchWriteItem(r -> r.requestItems(request)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    pause(attempt);
                }
            }
        }
    }

    /** The devices affected by the incident, by id (at most {@link #MAX_DEVICES}). */
    public List<String> devices(String incidentId) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(q -> q.tableName(table)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(":pk", s(incidentId), ":prefix", s(DEVICE_PREFIX)))
                    .exclusiveStartKey(from)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            page.items().forEach(i -> ids.add(string(i, DEVICE_ID)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && ids.size() < MAX_DEVICES);
        return ids.size() > MAX_DEVICES ? ids.subList(0, MAX_DEVICES) : ids;
    }

    /**
     * Claims a pending notification for publishing: only one publisher holds it at a time, until
     * {@code leaseUntil} (then another may take it over).
     *
     * @return false when it is not pending (published already) or held by another publisher
     */
    public boolean claim(String incidentId, Notification n, String claim, Instant now, Instant leaseUntil) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(incidentId, INCIDENT_ITEM))
                    .updateExpression("SET #n = :claim, #lease = :until")
                    .conditionExpression("attribute_exists(#n) AND (#n = :pending OR #lease < :now)")
                    .expressionAttributeNames(Map.of("#n", n.attribute, "#lease", n.leaseAttribute()))
                    .expressionAttributeValues(Map.of(":claim", s(claim), ":until", n(leaseUntil.toEpochMilli()),
                            ":pending", s(PENDING), ":now", n(now.toEpochMilli())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The notification was published: it is no longer pending. */
    public void complete(String incidentId, Notification n, String claim) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(incidentId, INCIDENT_ITEM))
                    .updateExpression("REMOVE #n, #lease")
                    .conditionExpression("#n = :claim")
                    .expressionAttributeNames(Map.of("#n", n.attribute, "#lease", n.leaseAttribute()))
                    .expressionAttributeValues(Map.of(":claim", s(claim)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException e) {
            // our lease ran out and another publisher took it over
        }
    }

    /** Publishing failed: pending again at once. */
    public void release(String incidentId, Notification n, String claim) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(incidentId, INCIDENT_ITEM))
                    .updateExpression("SET #n = :pending REMOVE #lease")
                    .conditionExpression("#n = :claim")
                    .expressionAttributeNames(Map.of("#n", n.attribute, "#lease", n.leaseAttribute()))
                    .expressionAttributeValues(Map.of(":claim", s(claim), ":pending", s(PENDING)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException e) {
            // taken over meanwhile
        }
    }

    public static Map<String, AttributeValue> toItem(Incident i) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(i.incidentId()));
        item.put(SK, s(INCIDENT_ITEM));
        item.put(INCIDENT_ID, s(i.incidentId()));
        item.put(SITE, s(i.site()));
        item.put(STATE, s(i.state().wireName()));
        putIfPresent(item, OPENED_AT, i.openedAt());
        putIfPresent(item, RESOLVED_AT, i.resolvedAt());
        item.put(DEVICES_AFFECTED, n(i.devicesAffected()));
        item.put(DEVICES_ACTIVE, n(i.devicesActive()));
        item.put(PEAK_AFFECTED, n(i.peakAffected()));
        String shard = Shards.of(i.incidentId());
        item.put(ALL_SHARD, s(shard));
        item.put(STATE_SHARD, s(i.state().wireName() + "#" + shard));
        item.put(OPENED_KEY, s(AlertItems.openedKey(i.openedAt(), i.incidentId())));
        return item;
    }

    public static Incident fromItem(Map<String, AttributeValue> item) {
        return new Incident(string(item, INCIDENT_ID), string(item, SITE), AlertState.fromWireName(string(item, STATE)),
                instant(item, OPENED_AT), instant(item, RESOLVED_AT), longOr(item, DEVICES_AFFECTED, 0),
                longOr(item, DEVICES_ACTIVE, 0), longOr(item, PEAK_AFFECTED, 0));
    }

    /** Whether an item of an index page is an incident (the indexes hold nothing else; checked all the same). */
    public static boolean isIncident(Map<String, AttributeValue> item) {
        return INCIDENT_ITEM.equals(string(item, SK));
    }

    private boolean transact(List<TransactWriteItem> items) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(items).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (TransactionCanceledException e) {
            boolean conditionFailed = e.hasCancellationReasons() && e.cancellationReasons().stream()
                    .anyMatch(c -> "ConditionalCheckFailed".equals(c.code()));
            if (conditionFailed) {
                return false;
            }
            throw e;
        }
    }

    static String siteKey(String site) {
        return "site#" + site;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 25L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
