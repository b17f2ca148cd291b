package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncRequestLog;
import com.pisync.domain.SyncRequest;
import java.util.List;

/**
 * {@link SyncRequestLog} on the sync-requests table: one Query of the device's partition, backwards, over the
 * request-id range only (the device's credential item shares the partition).
 */
public final class DynamoSyncRequestLog implements SyncRequestLog {

    private static final String REQUEST_ID_PREFIX = "req_";

    private final IndexPager pager;
    private final String table;

    public DynamoSyncRequestLog(IndexPager pager, String table) {
        this.pager = pager;
        this.table = table;
    }

    @Override
    public Page<SyncRequest> newestFirst(String deviceId, String after, int limit) {
        IndexPager.Result r = pager.page(IndexPager.range(IndexPager.query(table, null, SyncRequestItems.DEVICE_ID,
                List.of(deviceId), SyncRequestItems.REQUEST_ID, true), REQUEST_ID_PREFIX,
                REQUEST_ID_PREFIX + IndexPager.MAX), after, limit);
        return new Page<>(r.items().stream().map(SyncRequestItems::fromItem).toList(), r.nextAfter());
    }
}
