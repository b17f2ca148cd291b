package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.AlertLog;
import com.pisync.aws.ports.Page;
import com.pisync.domain.Alert;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link AlertLog} on the alerts table: a page of the index that fits the filter ({@code by_device},
 * {@code by_site}, {@code by_state} or {@code all_alerts}), the rest of the filter applied on it.
 */
public final class DynamoAlertLog implements AlertLog {

    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final IndexPager pager;
    private final String table;

    public DynamoAlertLog(IndexPager pager, String table) {
        this.pager = pager;
        this.table = table;
    }

    @Override
    public Page<Alert> newestFirst(Filter f, String after, int limit) {
        List<String> scope = f.sites();
        String state = f.state();
        IndexPager.Query q;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder filter = new StringBuilder();
        if (f.deviceId() != null) {
            q = IndexPager.query(table, AlertItems.BY_DEVICE, AlertItems.DEVICE_ID, List.of(f.deviceId()),
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
        if (state != null && (f.deviceId() != null || scope != null)) {
            names.put("#fst", AlertItems.STATE);
            values.put(":fst", AttributeValue.fromS(state));
            filter.append(filter.length() == 0 ? "" : " AND ").append("#fst = :fst");
        }
        if (filter.length() > 0) {
            q = q.withFilter(filter.toString(), names, values);
        }
        IndexPager.Result r = pager.page(q, after, limit);
        return new Page<>(r.items().stream().map(AlertItems::fromItem).toList(), r.nextAfter());
    }
}
