package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.pisync.aws.ports.SyncRequestAnswers;
import com.pisync.domain.SyncRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * A device's inbox: its sync requests (created by admins, delivered on ingest, completed by the
 * processor) and its credential version, in one partition so that the ingest function learns both
 * with a single Query per upload.
 */
public final class SyncRequestStore implements SyncRequestAnswers, com.pisync.aws.ports.DeviceCredentials {

    /** Sorts after every request id ("req_..."), so one key range covers requests and credential. */
    static final String CREDENTIAL = "~credential";
    static final String TOKEN_VERSION = "token_version";
    static final String REVOKED = "revoked";

    /** What the ingest function needs to know of a device per upload. */
    public record Inbox(List<SyncRequest> open, Long tokenVersion, boolean revoked) {
        /** True when a token of this version may post for the device. */
        public boolean accepts(long version) {
            return tokenVersion != null && tokenVersion == version && !revoked;
        }
    }

    /** A device has at most this many open requests; more clicks add nothing the device would do. */
    public static final int MAX_OPEN = com.pisync.aws.ports.SyncRequestQueue.MAX_OPEN;

    private final DynamoDbClient dynamo;
    private final String table;

    public SyncRequestStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void create(SyncRequest request) {
        dynamo.putItem(r -> r.tableName(table).item(SyncRequestItems.toItem(request))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", SyncRequestItems.REQUEST_ID))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /**
     * Creates the request and its audit entry in one TransactWriteItems.
     *
     * @return false when the entry already exists: this very request (a retry) created a request before, and
     *     nothing was written now
     */
    public boolean create(SyncRequest request, String auditTable, com.pisync.domain.AuditEntry entry) {
        var put = software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                .put(p -> p.tableName(table).item(SyncRequestItems.toItem(request))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", SyncRequestItems.REQUEST_ID)))
                .build();
        ItemUpdate.Outcome outcome = ItemUpdate.transact(dynamo, List.of(put, AuditItems.transactPut(auditTable, entry)),
                entry.auditId());
        if (outcome == ItemUpdate.Outcome.CONDITION_FAILED) {
            throw new IllegalStateException("sync request id " + request.requestId() + " already taken; retry");
        }
        return outcome == ItemUpdate.Outcome.APPLIED;
    }

    /**
     * The device's requests still open at {@code now} (oldest first) and its credential version: one
     * Query over the ids that can still be open (made within the longest time-to-live) and the
     * credential item after them, usually a single 0.5 RCU read.
     */
    public Inbox inbox(String deviceId, Instant now) {
        QueryResponse page = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("#d = :d AND #id BETWEEN :from AND :cred")
                .filterExpression("(#s IN (:queued, :delivered) AND #exp > :now) OR attribute_exists(#tv)")
                .expressionAttributeNames(Map.of("#d", SyncRequestItems.DEVICE_ID, "#id", SyncRequestItems.REQUEST_ID,
                        "#s", SyncRequestItems.STATUS, "#exp", SyncRequestItems.EXPIRES_AT, "#tv", TOKEN_VERSION))
                .expressionAttributeValues(Map.of(":d", s(deviceId),
                        ":from", s(SyncRequest.firstIdAt(now.minus(SyncRequest.MAX_TTL))),
                        ":cred", s(CREDENTIAL),
                        ":queued", s(SyncRequest.Status.QUEUED.wireName()),
                        ":delivered", s(SyncRequest.Status.DELIVERED.wireName()),
                        ":now", time(now)))
                .limit(MAX_OPEN * 5)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        List<SyncRequest> open = new java.util.ArrayList<>();
        Long version = null;
        boolean revoked = false;
        for (Map<String, AttributeValue> item : page.items()) {
            if (CREDENTIAL.equals(item.get(SyncRequestItems.REQUEST_ID).s())) {
                version = Long.parseLong(item.get(TOKEN_VERSION).n());
                revoked = item.containsKey(REVOKED) && Boolean.TRUE.equals(item.get(REVOKED).bool());
            } else {
                open.add(SyncRequestItems.fromItem(item));
            }
        }
        return new Inbox(open, version, revoked);
    }

    public List<SyncRequest> open(String deviceId, Instant now) {
        return inbox(deviceId, now).open();
    }

    /** Records the device's current credential version (register, rotate) or that it has none (decommission). */
    @Override
    public void putCredential(String deviceId, long version, boolean revoked) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(SyncRequestItems.key(deviceId, CREDENTIAL));
        item.put(TOKEN_VERSION, AttributeValue.fromN(Long.toString(version)));
        item.put(REVOKED, AttributeValue.fromBool(revoked));
        // Only ever move forward: a slow writer of an older version cannot revive it.
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#v) OR #v < :v OR (#v = :v AND :revoked = :true)")
                    .expressionAttributeNames(Map.of("#v", TOKEN_VERSION))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)),
                            ":revoked", AttributeValue.fromBool(revoked), ":true", AttributeValue.fromBool(true)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException newer) {
            // a newer credential is already recorded
        }
    }

    /** First delivery: queued → delivered. Later deliveries change nothing. */
    public void markDelivered(String deviceId, String requestId, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(SyncRequestItems.key(deviceId, requestId))
                    .updateExpression("SET #s = :delivered, #at = :at")
                    .conditionExpression("#s = :queued")
                    .expressionAttributeNames(Map.of("#s", SyncRequestItems.STATUS, "#at", SyncRequestItems.DELIVERED_AT))
                    .expressionAttributeValues(Map.of(":delivered", s(SyncRequest.Status.DELIVERED.wireName()),
                            ":queued", s(SyncRequest.Status.QUEUED.wireName()), ":at", time(at)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException alreadyDelivered) {
            // delivered (or answered) by an earlier upload
        }
    }

    /**
     * The device answered: completed when its sync succeeded, failed otherwise. Only the first answer
     * counts; an unknown request id (a device's own command id, a purged request) changes nothing.
     */
    @Override
    public void complete(String deviceId, String requestId, boolean succeeded, String eventId, Instant at) {
        SyncRequest.Status outcome = succeeded ? SyncRequest.Status.COMPLETED : SyncRequest.Status.FAILED;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(SyncRequestItems.key(deviceId, requestId))
                    .updateExpression("SET #s = :outcome, #at = :at, #e = :event")
                    .conditionExpression("#s IN (:queued, :delivered)")
                    .expressionAttributeNames(Map.of("#s", SyncRequestItems.STATUS, "#at", SyncRequestItems.COMPLETED_AT,
                            "#e", SyncRequestItems.EVENT_ID))
                    .expressionAttributeValues(Map.of(":outcome", s(outcome.wireName()), ":at", time(at),
                            ":event", s(eventId), ":queued", s(SyncRequest.Status.QUEUED.wireName()),
                            ":delivered", s(SyncRequest.Status.DELIVERED.wireName())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException answeredOrUnknown) {
            // first answer wins; unknown ids are ignored
        }
    }
}
