package com.pisync.aws.ports;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.domain.DeviceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The stored status and offline time of devices, changed only if the device is still as read (the version
 * guard every device write shares with the processor).
 */
public interface DeviceStatuses {

    /** The device as stored now (strongly consistent); {@code exists()} is false when there is no item. */
    DeviceRecord load(String deviceId);

    /** These devices (eventually consistent), by id; ids without an item are absent. */
    Map<String, DeviceRecord> loadAll(List<String> deviceIds);

    /**
     * Stores {@code status} and {@code offlineAt} (null: the stored one, or 24 h after the last upload when none is
     * stored) if the device is unchanged since
     * {@code before}; false when it changed (read it again and decide again).
     */
    boolean updateStatus(DeviceRecord before, DeviceStatus status, Instant offlineAt);

    /**
     * As {@link #updateStatus(DeviceRecord, DeviceStatus, Instant)}, also stamping the site calendar version the
     * offline time came from ({@code calendar_at}: see SiteCalendars).
     */
    boolean updateStatus(DeviceRecord before, DeviceStatus status, Instant offlineAt, Instant calendar);
}
