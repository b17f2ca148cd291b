package com.pisync.ingest;

import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.domain.SyncRequest;
import java.time.Instant;
import java.util.List;

/**
 * The sync requests waiting for a device, handed to it in the {@code commands} of each upload until it
 * answers them (so a lost response loses no command). The first hand-over marks them delivered. One
 * DynamoDB Query per upload; a write only when a request is handed over for the first time.
 */
@FunctionalInterface
public interface CommandInbox {

    /** For stacks without sync requests: always empty. */
    CommandInbox NONE = (deviceId, now) -> List.of();

    List<SyncRequest> deliver(String deviceId, Instant now);

    static CommandInbox of(SyncRequestStore store) {
        return (deviceId, now) -> {
            List<SyncRequest> open = store.open(deviceId, now);
            for (SyncRequest r : open) {
                if (r.status() == SyncRequest.Status.QUEUED) {
                    store.markDelivered(deviceId, r.requestId(), now);
                }
            }
            return open;
        };
    }
}
