package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.EventLedger;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A device's sync history: event items and upload items in device order (see {@link SyncEventItems}); a reader
 * opens an upload item into its events.
 */
public final class SyncEventStore implements EventLedger {

    private static final int BATCH_GET_LIMIT = 100;
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int MAX_UNPROCESSED_ROUNDS = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public SyncEventStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    /** Items one range read may cover before the rest of the keys are looked up one by one. */
    private static final int RANGE_READ_SLACK = 16;
    /** Items the first read of a history page takes (see {@link #newestFirst(String, String, int, boolean)}). */
    private static final int FIRST_READ_ITEMS = 1;
    /** Attempts at joining a late event to its upload item while other writers change it. */
    private static final int MAX_JOIN_ATTEMPTS = 8;

    /**
     * Which of these order keys of the device are stored. An eventually consistent answer may miss a
     * just-written item, never invent one.
     *
     * <p>Several keys are usually one upload's events, next to each other in device order: one Query over their
     * range reads them (or their upload item) for the summed size of the items where a BatchGetItem charges each
     * key at least 0.5. Keys it did not settle are in an upload item keyed above the range, or past the bound a
     * range holding many other events is read to: each is then looked up by the first item at or after it.
     */
    @Override
    public Set<String> storedKeys(String deviceId, Collection<String> orderKeys, boolean consistent) {
        TreeSet<String> keys = new TreeSet<>(orderKeys);
        Set<String> found = new HashSet<>();
        if (keys.isEmpty()) {
            return found;
        }
        if (keys.size() < 2) {
            addHeld(deviceId, keys.first(), consistent, keys, found);
            return found;
        }
        QueryResponse range = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("#d = :d AND #k BETWEEN :first AND :last")
                .expressionAttributeNames(Map.of("#d", SyncEventItems.DEVICE_ID, "#k", SyncEventItems.ORDER_KEY))
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(deviceId),
                        ":first", AttributeValue.fromS(keys.first()), ":last", AttributeValue.fromS(keys.last())))
                .consistentRead(consistent)
                .limit(keys.size() + RANGE_READ_SLACK)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        range.items().stream().flatMap(item -> SyncEventItems.events(item).stream()).map(ReceivedSyncEvent::orderKey)
                .filter(keys::contains).forEach(found::add);
        if (range.hasLastEvaluatedKey() && !range.lastEvaluatedKey().isEmpty()) {
            // read up to an item's key: nothing straddles it; the keys past it are looked up one by one
            String reached = range.lastEvaluatedKey().get(SyncEventItems.ORDER_KEY).s();
            for (String key : keys.tailSet(reached, false)) {
                if (!found.contains(key)) {
                    addHeld(deviceId, key, consistent, keys, found);
                }
            }
        } else if (!found.containsAll(keys)) {
            // not in the range: stored only in an upload item keyed past its end, if at all
            addHeld(deviceId, keys.last(), consistent, keys, found);
        }
        return found;
    }

    /** Adds to {@code found} the asked keys among the events of the item holding {@code orderKey}'s place. */
    private void addHeld(String deviceId, String orderKey, boolean consistent, Set<String> asked, Set<String> found) {
        holding(deviceId, orderKey, consistent).stream().map(ReceivedSyncEvent::orderKey).filter(asked::contains)
                .forEach(found::add);
    }

    /**
     * The events of the item holding {@code orderKey}'s place in the device's history: the first item at or after
     * it, if that is the event itself or an upload item whose range holds it (no item lies inside an upload
     * item's range); else none.
     */
    private List<ReceivedSyncEvent> holding(String deviceId, String orderKey, boolean consistent) {
        Map<String, AttributeValue> item = firstAtOrAfter(deviceId, orderKey, consistent);
        if (item == null) {
            return List.of();
        }
        List<ReceivedSyncEvent> events = SyncEventItems.events(item);
        return events.get(0).orderKey().compareTo(orderKey) <= 0 ? events : List.of();
    }

    private Map<String, AttributeValue> firstAtOrAfter(String deviceId, String orderKey, boolean consistent) {
        QueryResponse r = dynamo.query(q -> q.tableName(table)
                .keyConditionExpression("#d = :d AND #k BETWEEN :k AND :end")
                .expressionAttributeNames(Map.of("#d", SyncEventItems.DEVICE_ID, "#k", SyncEventItems.ORDER_KEY))
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(deviceId),
                        ":k", AttributeValue.fromS(orderKey), ":end", AttributeValue.fromS(SyncEventItems.HISTORY_END)))
                .consistentRead(consistent)
                .limit(1)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return r.items().isEmpty() ? null : r.items().get(0);
    }

    /** Stored items by (device, order key), eventually consistent, in the order asked; missing ones skipped. */
    public List<Map<String, AttributeValue>> getAll(List<Map.Entry<String, String>> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT))
                    .stream().distinct().map(k -> SyncEventItems.key(k.getKey(), k.getValue())).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(batch).build());
            for (int round = 0; !request.isEmpty(); round++) {
                if (round == MAX_UNPROCESSED_ROUNDS) {
                    throw new IllegalStateException("DynamoDB kept returning unprocessed keys; retry later");
                }
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(pending)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(
                        item.get(SyncEventItems.DEVICE_ID).s() + "\n" + item.get(SyncEventItems.ORDER_KEY).s(), item));
                request = response.unprocessedKeys();
                backoff(round, !request.isEmpty());
            }
        }
        List<Map<String, AttributeValue>> ordered = new ArrayList<>();
        for (Map.Entry<String, String> k : keys) {
            Map<String, AttributeValue> item = found.get(k.getKey() + "\n" + k.getValue());
            if (item != null) {
                ordered.add(item);
            }
        }
        return ordered;
    }

    /**
     * Stores events newer than every event the device has stored, upload by upload: an upload of two or more
     * events is one upload item (created once: a second writer of the same upload finds it and stops) with an
     * error entry per failed event, written first so that a stored event always has its error entries; a
     * one-event upload is an event item.
     */
    @Override
    public void putNewest(List<List<ReceivedSyncEvent>> uploads, String site) {
        List<ReceivedSyncEvent> single = new ArrayList<>();
        List<Map<String, AttributeValue>> errorEntries = new ArrayList<>();
        for (List<ReceivedSyncEvent> upload : uploads) {
            if (upload.size() == 1) {
                single.add(upload.get(0));
            } else {
                upload.stream().filter(e -> e.event().failed())
                        .forEach(e -> errorEntries.add(SyncEventItems.errorEntry(e, site, retention)));
            }
        }
        writeAll(Stream.concat(single.stream().map(e -> SyncEventItems.toItem(e, site, retention)),
                errorEntries.stream()).toList());
        for (List<ReceivedSyncEvent> upload : uploads) {
            if (upload.size() > 1) {
                try {
                    dynamo.putItem(r -> r.tableName(table).item(SyncEventItems.uploadItem(upload, site, retention))
                            .conditionExpression("attribute_not_exists(#k)")
                            .expressionAttributeNames(Map.of("#k", SyncEventItems.ORDER_KEY))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                } catch (ConditionalCheckFailedException written) {
                    // the same upload, written by a redelivery (or joined since by a late event): kept as it is
                }
            }
        }
    }

    /**
     * Stores events that may be older than the device's newest: each joins the upload item whose range holds it
     * (rewritten under a guard on its event count, so concurrent joins do not lose each other), or is an event
     * item of its own. Storing an event again stores nothing new.
     */
    @Override
    public void putAll(Collection<ReceivedSyncEvent> events, String site) {
        List<Map<String, AttributeValue>> own = new ArrayList<>();
        for (ReceivedSyncEvent e : events) {
            if (!join(e, site)) {
                own.add(SyncEventItems.toItem(e, site, retention));
            }
        }
        writeAll(own);
    }

    /** Adds a late event to the upload item holding its place; false when no upload item holds it. */
    private boolean join(ReceivedSyncEvent e, String site) {
        String deviceId = e.event().deviceId();
        for (int attempt = 1; attempt <= MAX_JOIN_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = firstAtOrAfter(deviceId, e.orderKey(), true);
            if (item == null || !SyncEventItems.isUpload(item)) {
                return false;
            }
            List<ReceivedSyncEvent> members = SyncEventItems.events(item);
            if (members.get(0).orderKey().compareTo(e.orderKey()) > 0) {
                return false;
            }
            if (members.stream().anyMatch(m -> m.orderKey().equals(e.orderKey()))) {
                return true;
            }
            if (e.event().failed()) {
                writeAll(List.of(SyncEventItems.errorEntry(e, site, retention)));
            }
            List<ReceivedSyncEvent> joined = new ArrayList<>(members);
            joined.add(e);
            // it stays with the upload's site, and expires with its newest receipt
            String itemSite = item.containsKey(SyncEventItems.SITE) ? item.get(SyncEventItems.SITE).s() : null;
            AttributeValue count = item.get(SyncEventItems.EVENT_COUNT);
            try {
                dynamo.putItem(r -> r.tableName(table).item(SyncEventItems.uploadItem(joined, itemSite, retention))
                        .conditionExpression("#n = :n")
                        .expressionAttributeNames(Map.of("#n", SyncEventItems.EVENT_COUNT))
                        .expressionAttributeValues(Map.of(":n", count))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                return true;
            } catch (ConditionalCheckFailedException changed) {
                backoff(attempt - 1, true); // another event joined first: read it again
            }
        }
        throw new IllegalStateException("upload item of " + deviceId + " kept changing; retry later");
    }

    private void writeAll(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> writes = items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList();
        for (int from = 0; from < writes.size(); from += BATCH_WRITE_LIMIT) {
            Map<String, List<WriteRequest>> request = Map.of(table,
                    writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE_LIMIT)));
            for (int round = 0; !request.isEmpty(); round++) {
                if (round == MAX_UNPROCESSED_ROUNDS) {
                    throw new IllegalStateException("DynamoDB kept returning unprocessed writes; retry later");
                }
                Map<String, List<WriteRequest>> pending = request;
                BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(pending)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                request = response.unprocessedItems();
                backoff(round, !request.isEmpty());
            }
        }
    }

    /** The stored events of the device after {@code orderKey}, as a failure streak (strongly consistent). */
    @Override
    public FailureStreak failuresAfter(String deviceId, String orderKey) {
        FailureStreak streak = FailureStreak.NONE;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            // from the item holding orderKey's place: an upload item is keyed by its newest event, at or after it
            QueryResponse page = dynamo.query(r -> r.tableName(table)
                    .keyConditionExpression("#d = :d AND #k BETWEEN :k AND :end")
                    .expressionAttributeNames(Map.of("#d", SyncEventItems.DEVICE_ID, "#k", SyncEventItems.ORDER_KEY))
                    .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(deviceId),
                            ":k", AttributeValue.fromS(orderKey),
                            ":end", AttributeValue.fromS(SyncEventItems.HISTORY_END)))
                    .consistentRead(true)
                    .exclusiveStartKey(exclusiveStart)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            for (Map<String, AttributeValue> item : page.items()) {
                for (ReceivedSyncEvent e : SyncEventItems.events(item)) {
                    if (e.orderKey().compareTo(orderKey) > 0) {
                        streak = streak.with(e.event());
                    }
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return streak;
    }

    /**
     * Up to {@code limit} of the device's stored events older (in device order) than {@code before} (null: from
     * the newest), newest first, each with the site it was stored with; {@code nextAfter} is the last one's
     * order key when more may follow.
     */
    public Page<SyncHistory.Entry> newestFirst(String deviceId, String before, int limit, boolean consistent) {
        List<SyncHistory.Entry> entries = new ArrayList<>();
        if (before != null) {
            // The upload item holding `before` is keyed at or after it: its older events come first.
            Map<String, AttributeValue> holder = firstAtOrAfter(deviceId, before, consistent);
            if (holder != null && SyncEventItems.isUpload(holder)) {
                entries.addAll(newestFirst(holder, before));
            }
        }
        String upper = before != null ? before : SyncEventItems.HISTORY_END;
        boolean more = entries.size() >= limit; // filled from the upload holding `before`: older items may follow
        Map<String, AttributeValue> start = null;
        int items = 0;
        int events = 0;
        while (!more) {
            // An item holds one event or an upload's (up to hundreds): the first read takes one item, the next
            // as many as the events per item read so far say are needed, so a page reads what it shows plus at
            // most one upload, whatever the uploads' size.
            int remaining = limit - entries.size();
            int want = items == 0 ? Math.min(remaining, FIRST_READ_ITEMS)
                    : Math.max(1, (int) Math.ceil(remaining * (double) items / events));
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table)
                    .keyConditionExpression("#d = :d AND #k < :upper")
                    .expressionAttributeNames(Map.of("#d", SyncEventItems.DEVICE_ID, "#k", SyncEventItems.ORDER_KEY))
                    .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(deviceId),
                            ":upper", AttributeValue.fromS(upper)))
                    .scanIndexForward(false).limit(want).consistentRead(consistent).exclusiveStartKey(from)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            for (Map<String, AttributeValue> item : page.items()) {
                List<SyncHistory.Entry> read = newestFirst(item, null);
                entries.addAll(read);
                items++;
                events += read.size();
            }
            boolean cut = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            if (!cut) {
                break;
            }
            start = page.lastEvaluatedKey();
            more = entries.size() >= limit;
        }
        if (entries.size() > limit) {
            entries.subList(limit, entries.size()).clear();
            more = true;
        }
        return new Page<>(entries, more && !entries.isEmpty() ? entries.get(entries.size() - 1).position() : null);
    }

    /** An item's events older than {@code before} (null: all), newest first. */
    private static List<SyncHistory.Entry> newestFirst(Map<String, AttributeValue> item, String before) {
        String site = item.containsKey(SyncEventItems.SITE) ? item.get(SyncEventItems.SITE).s() : null;
        List<SyncHistory.Entry> entries = new ArrayList<>();
        List<ReceivedSyncEvent> events = SyncEventItems.events(item);
        for (int i = events.size() - 1; i >= 0; i--) {
            ReceivedSyncEvent e = events.get(i);
            if (before == null || e.orderKey().compareTo(before) < 0) {
                entries.add(new SyncHistory.Entry(e.orderKey(), e, site));
            }
        }
        return entries;
    }

    /** Newest first, for tests and the history view. */
    public List<ReceivedSyncEvent> history(String deviceId, int limit) {
        return newestFirst(deviceId, null, limit, false).items().stream().map(SyncHistory.Entry::event).toList();
    }

    private static void backoff(int round, boolean again) {
        if (!again) {
            return;
        }
        try {
            Thread.sleep(Math.min(1000, 25L << round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying unprocessed items", e);
        }
    }
}
