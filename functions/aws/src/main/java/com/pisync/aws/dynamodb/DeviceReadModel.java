package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.longOr;
import static com.pisync.aws.dynamodb.AttributeValues.string;

import com.pisync.domain.Device;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A devices-table item read as a {@link Device}: the registry facts and the sync state (through
 * {@link DeviceItems#fromItem}, which owns the state layout), without the processor's bookkeeping.
 */
public final class DeviceReadModel {

    private DeviceReadModel() {
    }

    /** The device of an item, or null for no item. */
    public static Device fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return null;
        }
        String id = string(item, DeviceItems.DEVICE_ID);
        DeviceRecord record = DeviceItems.fromItem(id, item);
        AttributeValue tags = item.get(DeviceItems.TAGS);
        return new Device(id, string(item, DeviceItems.NAME), string(item, DeviceItems.TYPE), record.site(),
                tags == null || !tags.hasL() ? List.of() : tags.l().stream().map(AttributeValue::s).toList(),
                instant(item, DeviceItems.CREATED_AT), instant(item, DeviceItems.REGISTERED_AT),
                instant(item, DeviceItems.DECOMMISSIONED_AT), longOr(item, DeviceItems.TOKEN_VERSION, 0),
                record.storedStatus(), record.offlineAt(), record.state());
    }
}
