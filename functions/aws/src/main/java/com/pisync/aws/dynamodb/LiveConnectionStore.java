package com.pisync.aws.dynamodb;

import com.pisync.aws.live.Subscriber;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The {@code live} table: single-use tickets and the WebSocket connections they opened, by the access patterns of
 * live updates.
 *
 * <ul>
 *   <li>Ticket: {@code live_id = "ticket#" + SHA-256(ticket)} (the ticket itself is never stored), {@code scope =
 *       "ticket"}, the user and their sites, {@code expires_at} (epoch seconds, the table's TTL). Consumed by one
 *       conditional DeleteItem that returns the item: of two connections with the same ticket only one gets it.</li>
 *   <li>Connection: {@code live_id = "conn#" + connectionId}, {@code scope = "conn"}, the user and sites, {@code
 *       audience = "all"} for a user not bound to sites, {@code "bound"} (a presence marker) for a site-bound one;
 *       and for each site of a site-bound user an item {@code scope = audience = "site#" + site}. Expire after 2 h
 *       (API Gateway's longest WebSocket connection), so a lost $disconnect leaves nothing for long.</li>
 * </ul>
 *
 * <p>Index {@code by_audience} (partition {@code audience}, keys only) answers "who may see site S" with one Query
 * of {@code site#S} plus one of {@code all}, and "is any site-bound dashboard connected at all" with one Query of
 * {@code bound} limited to one item: with nobody connected, a stream batch costs two empty index reads.
 */
public final class LiveConnectionStore {

    public static final String LIVE_ID = "live_id";
    public static final String SCOPE = "scope";
    public static final String AUDIENCE = "audience";
    public static final String BY_AUDIENCE = "by_audience";
    public static final String EXPIRES_AT = "expires_at";
    static final String USERNAME = "username";
    static final String SITES = "sites";
    static final String BOUND = "bound";
    static final String CONNECTED_AT = "connected_at";

    static final String TICKET = "ticket";
    static final String CONNECTION = "conn";
    static final String ALL = "all";
    static final String SITE_PREFIX = "site#";
    /** API Gateway closes a WebSocket connection after at most 2 hours. */
    public static final Duration CONNECTION_LIFETIME = Duration.ofHours(2);

    private final DynamoDbClient dynamo;
    private final String table;

    public LiveConnectionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Stores a ticket (its hash) for {@code who}, valid until {@code expiresAt}. */
    public void putTicket(String ticket, Subscriber who, Instant expiresAt) {
        Map<String, AttributeValue> item = subscriberItem(who);
        item.put(LIVE_ID, AttributeValue.fromS(TICKET + "#" + sha256(ticket)));
        item.put(SCOPE, AttributeValue.fromS(TICKET));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    /**
     * Takes the ticket: at most one caller ever gets it, and only before it expires (TTL deletes late, so the
     * expiry is part of the condition).
     */
    public Optional<Subscriber> consumeTicket(String ticket, Instant now) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 200) {
            return Optional.empty();
        }
        try {
            Map<String, AttributeValue> old = dynamo.deleteItem(r -> r.tableName(table)
                    .key(Map.of(LIVE_ID, AttributeValue.fromS(TICKET + "#" + sha256(ticket)),
                            SCOPE, AttributeValue.fromS(TICKET)))
                    .conditionExpression("attribute_exists(#id) AND #exp > :now")
                    .expressionAttributeNames(Map.of("#id", LIVE_ID, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            return Optional.of(subscriber(old));
        } catch (ConditionalCheckFailedException unknownUsedOrExpired) {
            return Optional.empty();
        }
    }

    /** Records an open connection and the audiences it belongs to (idempotent: a retried $connect writes the same). */
    public void connect(String connectionId, Subscriber who, Instant now) {
        String id = CONNECTION + "#" + connectionId;
        AttributeValue expires = AttributeValue.fromN(Long.toString(now.plus(CONNECTION_LIFETIME).getEpochSecond()));
        for (String site : who.bound() ? who.sites() : Set.<String>of()) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of(LIVE_ID, AttributeValue.fromS(id),
                    SCOPE, AttributeValue.fromS(SITE_PREFIX + site), AUDIENCE, AttributeValue.fromS(SITE_PREFIX + site),
                    EXPIRES_AT, expires)));
        }
        // The main item last: it is what says "a site-bound connection exists" (bound) or "sees every site" (all).
        Map<String, AttributeValue> item = subscriberItem(who);
        item.put(LIVE_ID, AttributeValue.fromS(id));
        item.put(SCOPE, AttributeValue.fromS(CONNECTION));
        item.put(AUDIENCE, AttributeValue.fromS(who.bound() ? BOUND : ALL));
        item.put(CONNECTED_AT, AttributeValue.fromS(now.toString()));
        item.put(EXPIRES_AT, expires);
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    /** Forgets a connection: its few items (one, or one per site), found by one Query of its partition. */
    public void disconnect(String connectionId) {
        String id = CONNECTION + "#" + connectionId;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).keyConditionExpression("#id = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(id)))
                    .projectionExpression("#id, #scope")
                    .expressionAttributeNames(Map.of("#id", LIVE_ID, "#scope", SCOPE))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> key : page.items()) {
                dynamo.deleteItem(r -> r.tableName(table).key(Map.of(LIVE_ID, key.get(LIVE_ID), SCOPE, key.get(SCOPE))));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** The connections of users not bound to sites (they see every site). */
    public List<String> fleetWide() {
        return audience(ALL, 0);
    }

    /** The connections of users bound to {@code site}. */
    public List<String> ofSite(String site) {
        return audience(SITE_PREFIX + site, 0);
    }

    /** True when at least one site-bound connection exists: one Query of at most one key. */
    public boolean anySiteBound() {
        return !audience(BOUND, 1).isEmpty();
    }

    private List<String> audience(String audience, int limit) {
        List<String> connections = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(BY_AUDIENCE)
                    .keyConditionExpression("#a = :a").expressionAttributeNames(Map.of("#a", AUDIENCE))
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(audience))).exclusiveStartKey(start);
            if (limit > 0) {
                q.limit(limit);
            }
            QueryResponse page = dynamo.query(q.build());
            for (Map<String, AttributeValue> key : page.items()) {
                String id = key.get(LIVE_ID).s();
                connections.add(id.substring(CONNECTION.length() + 1));
            }
            start = limit == 0 && page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return connections;
    }

    private static Map<String, AttributeValue> subscriberItem(Subscriber who) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USERNAME, AttributeValue.fromS(who.username() == null ? "" : who.username()));
        item.put(BOUND, AttributeValue.fromBool(who.bound()));
        item.put(SITES, AttributeValue.fromL(who.sites().stream().sorted().map(AttributeValue::fromS).toList()));
        return item;
    }

    private static Subscriber subscriber(Map<String, AttributeValue> item) {
        Set<String> sites = new LinkedHashSet<>();
        AttributeValue l = item.get(SITES);
        if (l != null && l.hasL()) {
            l.l().forEach(v -> sites.add(v.s()));
        }
        AttributeValue bound = item.get(BOUND);
        AttributeValue user = item.get(USERNAME);
        return new Subscriber(user == null ? null : user.s(), sites, bound != null && Boolean.TRUE.equals(bound.bool()));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
