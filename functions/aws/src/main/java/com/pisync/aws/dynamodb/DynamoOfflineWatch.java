package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.OfflineWatch;
import com.pisync.aws.ports.Page;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link OfflineWatch} on the sparse, keys-only {@code offline_due} index ({@code watch_shard},
 * {@code offline_hour}): one Query per page for {@code offline_hour < hour(now)}. The position is the last
 * entry's offline hour and device id (the index's key and the table's).
 */
public final class DynamoOfflineWatch implements OfflineWatch {

    private final WatchIndex index;

    public DynamoOfflineWatch(DynamoDbClient dynamo, String table) {
        this.index = new WatchIndex(dynamo, table, DeviceIndexes.OFFLINE_DUE, DeviceIndexes.WATCH_SHARD,
                DeviceIndexes.OFFLINE_HOUR);
    }

    @Override
    public Page<String> due(String shard, Instant now, String after, int limit) {
        return index.below(shard, DeviceIndexes.offlineHour(now), after, limit);
    }
}
