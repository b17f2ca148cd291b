package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.dynamodb.SyncEventItems;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.views.Views;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Sync history of one device, and failed syncs across the fleet. */
final class HistoryQueries {

    /** Items one history request may examine when filters skip many: bounds its cost. */
    static final int READ_BUDGET = 1000;
    static final Duration DEFAULT_ERRORS_WINDOW = Duration.ofDays(30);
    /** Empty months one errors request walks back before handing back a cursor. */
    private static final int MONTHS_PER_REQUEST = 3;
    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final DynamoDbClient dynamo;
    private final com.pisync.aws.dynamodb.SyncEventStore events;
    private final IndexPager pager;
    private final String table;
    private final Lists lists;
    private final Clock clock;

    HistoryQueries(DynamoDbClient dynamo, IndexPager pager, String table, Lists lists, Clock clock) {
        this.dynamo = dynamo;
        this.events = new com.pisync.aws.dynamodb.SyncEventStore(dynamo, table, java.time.Duration.ZERO);
        this.pager = pager;
        this.table = table;
        this.lists = lists;
        this.clock = clock;
    }

    /** Events newest first in device order, filtered by event time and outcome. */
    ObjectNode deviceHistory(APIGatewayV2HTTPEvent event, String deviceId) {
        QueryParams p = new QueryParams(event);
        Instant from = p.time("from");
        Instant to = p.time("to");
        String outcome = p.oneOf("outcome", Set.of("failed", "success"));
        Lists.Request request = lists.open(event, p);

        List<ObjectNode> items = new ArrayList<>();
        String lastExamined = request.at("after");
        int examined = 0;
        boolean more;
        while (true) {
            QueryResponse page = readBefore(deviceId, lastExamined, request.limit() + 1);
            boolean full = false;
            for (Map<String, AttributeValue> item : page.items()) {
                if (items.size() == request.limit()) {
                    full = true;
                    break;
                }
                examined++;
                lastExamined = item.get(SyncEventItems.ORDER_KEY).s();
                ReceivedSyncEvent e = SyncEventItems.fromItem(item);
                Instant t = e.event().timestamp();
                if ((from == null || !t.isBefore(from)) && (to == null || t.isBefore(to))
                        && (outcome == null || outcome.equals(e.event().outcome().wireName()))) {
                    items.add(Views.syncEvent(e, null, false));
                }
            }
            boolean exhausted = !page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty();
            if (full || (!exhausted && examined >= READ_BUDGET)) {
                more = true;
                break;
            }
            if (exhausted) {
                more = false;
                break;
            }
        }
        String next = more ? lists.next(request, Map.of("after", lastExamined)) : null;
        return Views.list(items, next);
    }

    private QueryResponse readBefore(String deviceId, String before, int limit) {
        Map<String, String> names = Map.of("#d", SyncEventItems.DEVICE_ID, "#k", SyncEventItems.ORDER_KEY);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":d", AttributeValue.fromS(deviceId));
        String condition = "#d = :d";
        if (before != null) {
            condition += " AND #k < :before";
            values.put(":before", AttributeValue.fromS(before));
        } else {
            names = Map.of("#d", SyncEventItems.DEVICE_ID);
        }
        String keyCondition = condition;
        Map<String, String> n = names;
        return dynamo.query(r -> r.tableName(table).keyConditionExpression(keyCondition)
                .expressionAttributeNames(n).expressionAttributeValues(values)
                .scanIndexForward(false).limit(limit).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /** Failed events of every device (or one site), newest first by event time. */
    ObjectNode errors(APIGatewayV2HTTPEvent event, com.pisync.aws.auth.Caller caller) {
        QueryParams p = new QueryParams(event);
        Instant now = clock.instant();
        Instant fromParam = p.time("from");
        Instant toParam = p.time("to");
        String site = p.string("site", 64);
        Lists.Request request = lists.open(event, p);
        if (site != null && !caller.canSee(site)) {
            return Views.list(List.of(), null); // another site's errors: none for this caller
        }
        // A user bound to sites reads their sites' partitions of the per-site index, merged newest first.
        List<String> scope = site != null ? List.of(site)
                : caller.siteBound() ? caller.sites().stream().sorted().toList() : null;
        if (scope != null && scope.isEmpty()) {
            return Views.list(List.of(), null);
        }
        Instant from = fromParam != null ? fromParam : now.minus(DEFAULT_ERRORS_WINDOW);
        // Device clocks may run up to a day ahead.
        Instant to = toParam != null ? toParam : now.plus(Duration.ofDays(1));
        if (!from.isBefore(to)) {
            return Views.list(List.of(), null);
        }
        String lower = String.format(Locale.ROOT, "%013d", Math.max(0, from.toEpochMilli()));
        String upper = String.format(Locale.ROOT, "%013d", Math.max(0, to.toEpochMilli() - 1)) + "#" + IndexPager.MAX;

        YearMonth first = YearMonth.from(from.atZone(ZoneOffset.UTC));
        YearMonth month = request.position() == null ? YearMonth.from(to.atZone(ZoneOffset.UTC))
                : YearMonth.parse(request.at("month"));
        String after = request.at("after") == null || request.at("after").isEmpty() ? null : request.at("after");
        List<ObjectNode> items = new ArrayList<>();
        int walked = 0;
        while (true) {
            String m = month.toString();
            IndexPager.Query q = scope == null
                    ? IndexPager.query(table, SyncEventItems.ERRORS, SyncEventItems.ERR_PK,
                            SHARDS.stream().map(s -> m + "#" + s).toList(), SyncEventItems.ERR_SK, true)
                    : IndexPager.query(table, SyncEventItems.ERRORS_BY_SITE, SyncEventItems.SITE_ERR_PK,
                            scope.stream().map(s -> s + "#" + m).toList(), SyncEventItems.ERR_SK, true);
            IndexPager.Result r = pager.page(IndexPager.range(q, lower, upper), after, request.limit() - items.size());
            List<Map.Entry<String, String>> keys = r.items().stream().map(k -> Map.entry(
                    k.get(SyncEventItems.DEVICE_ID).s(), k.get(SyncEventItems.ORDER_KEY).s())).toList();
            for (Map<String, AttributeValue> item : events.getAll(keys)) {
                AttributeValue s = item.get(SyncEventItems.SITE);
                items.add(Views.syncEvent(SyncEventItems.fromItem(item), s == null ? null : s.s(), true));
            }
            if (r.nextAfter() != null) {
                return Views.list(items, lists.next(request, Map.of("month", m, "after", r.nextAfter())));
            }
            month = month.minusMonths(1);
            after = null;
            walked++;
            if (month.isBefore(first)) {
                return Views.list(items, null);
            }
            if (items.size() == request.limit() || walked == MONTHS_PER_REQUEST) {
                return Views.list(items, lists.next(request, Map.of("month", month.toString(), "after", "")));
            }
        }
    }
}
