package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.ErrorLog;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link SyncHistory} and {@link ErrorLog} on the sync-events table: a device's history is one Query of its
 * partition backwards (its upload items opened); failed events are a page of the sparse {@code errors} (or {@code errors_by_site}) index,
 * then one BatchGetItem of the page's events.
 */
public final class DynamoSyncHistory implements SyncHistory, ErrorLog {

    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final SyncEventStore events;
    private final IndexPager pager;
    private final String table;

    public DynamoSyncHistory(DynamoDbClient dynamo, IndexPager pager, String table) {
        this.events = new SyncEventStore(dynamo, table, Duration.ZERO);
        this.pager = pager;
        this.table = table;
    }

    @Override
    public Page<Entry> newestFirst(String deviceId, String before, int limit) {
        return events.newestFirst(deviceId, before, limit, false);
    }

    @Override
    public Page<Entry> failedNewestFirst(List<String> sites, YearMonth month, Instant from, Instant to, String after,
            int limit) {
        String lower = String.format(Locale.ROOT, "%013d", Math.max(0, from.toEpochMilli()));
        String upper = String.format(Locale.ROOT, "%013d", Math.max(0, to.toEpochMilli() - 1)) + "#" + IndexPager.MAX;
        String m = month.toString();
        IndexPager.Query q = sites == null
                ? IndexPager.query(table, SyncEventItems.ERRORS, SyncEventItems.ERR_PK,
                        SHARDS.stream().map(s -> m + "#" + s).toList(), SyncEventItems.ERR_SK, true)
                : IndexPager.query(table, SyncEventItems.ERRORS_BY_SITE, SyncEventItems.SITE_ERR_PK,
                        sites.stream().map(s -> s + "#" + m).toList(), SyncEventItems.ERR_SK, true);
        IndexPager.Result r = pager.page(IndexPager.range(q, lower, upper), after, limit);
        List<Map.Entry<String, String>> keys = r.items().stream().map(k -> Map.entry(
                k.get(SyncEventItems.DEVICE_ID).s(), k.get(SyncEventItems.ORDER_KEY).s())).toList();
        return new Page<>(events.getAll(keys).stream().map(DynamoSyncHistory::entry).toList(), r.nextAfter());
    }

    private static Entry entry(Map<String, AttributeValue> item) {
        AttributeValue site = item.get(SyncEventItems.SITE);
        ReceivedSyncEvent event = SyncEventItems.fromItem(item); // an event item, or an error entry
        return new Entry(event.orderKey(), event, site == null ? null : site.s());
    }
}
