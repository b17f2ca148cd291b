package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.n;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.PendingAlertWatch;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link PendingAlertWatch} on the devices table: devices whose outbox holds alert transitions that no processor
 * run will publish carry the keys of the sparse, keys-only {@link DeviceIndexes#PENDING_ALERTS} index until their
 * outbox is empty, so the sweeper finds them in O(pending) without reading the fleet.
 */
public final class PendingAlerts implements PendingAlertWatch {

    private final DynamoDbClient dynamo;
    private final String table;
    private final WatchIndex index;

    public PendingAlerts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.index = new WatchIndex(dynamo, table, DeviceIndexes.PENDING_ALERTS, DeviceIndexes.ALERTS_SHARD,
                DeviceIndexes.ALERTS_PENDING_SINCE);
    }

    /** One Query of the shard's index partition, keys only; the position is the last entry's since and id. */
    @Override
    public Page<String> waitingSince(String shard, Instant cutoff, String after, int limit) {
        return index.below(shard, cutoff.toString(), after, limit);
    }

    /** One UpdateItem removing the index keys, guarded by the version read in {@code before}. */
    @Override
    public boolean leave(DeviceRecord before) {
        if (!before.outbox().isEmpty()) {
            throw new IllegalArgumentException("device " + before.state().deviceId() + " still has unpublished alerts");
        }
        ItemUpdate u = new ItemUpdate().putAll(DeviceIndexes.forPendingAlerts(before.state().deviceId(), null))
                .put(DeviceItems.VERSION, n(before.version() + 1));
        return u.apply(dynamo, table, DeviceItems.key(before.state().deviceId()),
                DeviceStore.versionCondition(u, before), false) != null;
    }
}
