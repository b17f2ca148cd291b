package com.pisync.aws.ports;

import com.pisync.aws.dynamodb.DeviceRecord;
import java.util.List;

/** Publishes the alert transitions a device commit left in its outbox, each once, and removes them. */
public interface OutboxPublisher {

    /**
     * Publishes the entries in order; an entry already published is skipped. Stops at the first that cannot be
     * published now and throws: the entry stays for a retry.
     */
    void flush(String deviceId, List<DeviceRecord.OutboxEntry> entries);
}
