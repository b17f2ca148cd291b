package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.DeviceStatuses;
import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@link DeviceStatuses} on the devices table: GetItem, BatchGetItem and a version-guarded UpdateItem. */
public final class DynamoDeviceStatuses implements DeviceStatuses {

    private final DeviceStore store;
    private final DeviceRegistry registry;

    public DynamoDeviceStatuses(DynamoDbClient dynamo, String table) {
        this(new DeviceStore(dynamo, table), new DeviceRegistry(dynamo, table));
    }

    public DynamoDeviceStatuses(DeviceStore store, DeviceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public DeviceRecord load(String deviceId) {
        return store.load(deviceId);
    }

    @Override
    public Map<String, DeviceRecord> loadAll(List<String> deviceIds) {
        Map<String, DeviceRecord> out = new HashMap<>();
        registry.getAll(deviceIds).forEach((id, item) -> out.put(id, DeviceItems.fromItem(id, item)));
        return out;
    }

    @Override
    public boolean updateStatus(DeviceRecord before, DeviceStatus status, Instant offlineAt) {
        return offlineAt == null ? store.updateStatus(before, status)
                : store.updateStatus(before, status, new DeviceRegistry.OfflineTime(offlineAt, before.calendarAt()));
    }

    @Override
    public boolean updateStatus(DeviceRecord before, DeviceStatus status, Instant offlineAt, Instant calendar) {
        return store.updateStatus(before, status, new DeviceRegistry.OfflineTime(offlineAt, calendar));
    }
}
