package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.dynamodb.AlertItems;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.views.Views;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Alerts, newest first, by state, device or site. */
final class AlertQueries {

    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final IndexPager pager;
    private final String table;
    private final Lists lists;

    AlertQueries(IndexPager pager, String table, Lists lists) {
        this.pager = pager;
        this.table = table;
        this.lists = lists;
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, com.pisync.aws.auth.Caller caller) {
        QueryParams p = new QueryParams(event);
        String state = p.oneOf("state", Set.of("open", "resolved"));
        String deviceId = p.string("device_id", 64);
        String site = p.string("site", 64);
        Lists.Request request = lists.open(event, p);
        if (site != null && !caller.canSee(site)) {
            return Views.list(List.of(), null); // another site's alerts: none for this caller
        }
        // A user bound to sites reads their sites' partitions of the by_site index (a device's alerts: its site).
        List<String> scope = site != null ? List.of(site)
                : caller.siteBound() ? caller.sites().stream().sorted().toList() : null;
        if (scope != null && scope.isEmpty()) {
            return Views.list(List.of(), null);
        }

        IndexPager.Query q;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder filter = new StringBuilder();
        if (deviceId != null) {
            q = IndexPager.query(table, AlertItems.BY_DEVICE, AlertItems.DEVICE_ID, List.of(deviceId),
                    AlertItems.OPENED_KEY, true);
            if (scope != null) {
                names.put("#fs", AlertItems.SITE);
                StringBuilder in = new StringBuilder();
                for (int i = 0; i < scope.size(); i++) {
                    values.put(":fs" + i, AttributeValue.fromS(scope.get(i)));
                    in.append(i == 0 ? "" : ", ").append(":fs").append(i);
                }
                filter.append("#fs IN (").append(in).append(')');
            }
        } else if (scope != null) {
            q = IndexPager.query(table, AlertItems.BY_SITE, AlertItems.SITE, scope, AlertItems.OPENED_KEY, true);
        } else if (state != null) {
            q = IndexPager.query(table, AlertItems.BY_STATE, AlertItems.STATE_SHARD,
                    SHARDS.stream().map(s -> state + "#" + s).toList(), AlertItems.OPENED_KEY, true);
        } else {
            q = IndexPager.query(table, AlertItems.ALL_ALERTS, AlertItems.ALL_SHARD, SHARDS, AlertItems.OPENED_KEY, true);
        }
        if (state != null && (deviceId != null || scope != null)) {
            names.put("#fst", AlertItems.STATE);
            values.put(":fst", AttributeValue.fromS(state));
            filter.append(filter.length() == 0 ? "" : " AND ").append("#fst = :fst");
        }
        if (filter.length() > 0) {
            q = q.withFilter(filter.toString(), names, values);
        }
        String after = request.at("after");
        IndexPager.Result r = pager.page(q, after == null || after.isEmpty() ? null : after, request.limit());
        List<ObjectNode> items = r.items().stream().map(i -> Views.alert(AlertItems.fromItem(i))).toList();
        return Views.list(items, r.nextAfter() == null ? null : lists.next(request, Map.of("after", r.nextAfter())));
    }
}
