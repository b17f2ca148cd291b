package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.domain.AuditEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The audit table's item: one per entry, written once (conditional on its id being new), never updated,
 * deleted only by TTL ({@code expires_at}, 400 days after {@code at}). {@code before} and {@code after} are
 * kept as JSON text. Layout and indexes: docs/data-model.md.
 */
public final class AuditItems {

    public static final String AUDIT_ID = "audit_id";
    public static final String AT = "at";
    public static final String ACTOR = "actor";
    public static final String ACTION = "action";
    public static final String TARGET_TYPE = "target_type";
    public static final String TARGET_ID = "target_id";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    public static final String REQUEST_ID = "request_id";
    public static final String SOURCE_IP = "source_ip";
    public static final String EXPIRES_AT = "expires_at";

    /** Newest-first order of every index: {@code at} in epoch ms (13 digits) {@code #} audit id. */
    public static final String AT_KEY = "at_key";
    public static final String ALL_SHARD = "all_shard";
    public static final String ACTION_SHARD = "action_shard";

    public static final String ALL_ENTRIES = "all_entries";
    public static final String BY_ACTOR = "by_actor";
    public static final String BY_TARGET = "by_target";
    public static final String BY_ACTION = "by_action";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditItems() {
    }

    /** The conditional put of an entry: fails when an entry with its id exists (the same request, retried). */
    public static TransactWriteItem transactPut(String table, AuditEntry entry) {
        return TransactWriteItem.builder().put(put(table, entry)).build();
    }

    static Put put(String table, AuditEntry entry) {
        return Put.builder().tableName(table).item(toItem(entry))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", AUDIT_ID))
                .build();
    }

    public static Map<String, AttributeValue> toItem(AuditEntry e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(AUDIT_ID, s(e.auditId()));
        item.put(AT, s(e.at().toString()));
        item.put(ACTOR, s(e.actor()));
        item.put(ACTION, s(e.action()));
        item.put(TARGET_TYPE, s(e.targetType()));
        item.put(TARGET_ID, s(e.targetId()));
        if (e.before() != null) {
            item.put(BEFORE, s(e.before().toString()));
        }
        if (e.after() != null) {
            item.put(AFTER, s(e.after().toString()));
        }
        AttributeValues.putIfPresent(item, REQUEST_ID, e.requestId());
        AttributeValues.putIfPresent(item, SOURCE_IP, e.sourceIp());
        item.put(EXPIRES_AT, n(e.expiresAt().getEpochSecond()));
        String shard = Shards.of(e.auditId());
        item.put(AT_KEY, s(atKey(e.at(), e.auditId())));
        item.put(ALL_SHARD, s(shard));
        item.put(ACTION_SHARD, s(e.action() + "#" + shard));
        return item;
    }

    public static AuditEntry fromItem(Map<String, AttributeValue> item) {
        return new AuditEntry(string(item, AUDIT_ID), Instant.parse(string(item, AT)), string(item, ACTOR),
                string(item, ACTION), string(item, TARGET_TYPE), string(item, TARGET_ID), json(string(item, BEFORE)),
                json(string(item, AFTER)), string(item, REQUEST_ID), string(item, SOURCE_IP));
    }

    /** Fixed width, so that it sorts as time does. */
    public static String atKey(Instant at, String auditId) {
        return timeKey(at) + "#" + auditId;
    }

    /** The {@link #AT_KEY} prefix of every entry at {@code at}: the inclusive lower and exclusive upper bound of a range. */
    public static String timeKey(Instant at) {
        return String.format(Locale.ROOT, "%013d", Math.max(0, at.toEpochMilli()));
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
