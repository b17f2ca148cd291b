package com.pisync.ingest;

import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.domain.SyncRequest;
import java.time.Instant;
import java.util.List;

/**
 * A device's inbox as ingest sees it: its open sync requests, handed to it in the {@code commands}
 * of each upload until it answers them (so a lost response loses no command), and its current
 * credential version. One DynamoDB Query per upload; a write only when a request is handed over for
 * the first time.
 */
public interface CommandInbox {

    /** For stacks without sync requests or credentials: empty. */
    CommandInbox NONE = new CommandInbox() {
        @Override
        public SyncRequestStore.Inbox read(String deviceId, Instant now) {
            return new SyncRequestStore.Inbox(List.of(), null, false);
        }

        @Override
        public void delivered(String deviceId, SyncRequest request, Instant at) {
        }
    };

    SyncRequestStore.Inbox read(String deviceId, Instant now);

    void delivered(String deviceId, SyncRequest request, Instant at);

    static CommandInbox of(SyncRequestStore store) {
        return new CommandInbox() {
            @Override
            public SyncRequestStore.Inbox read(String deviceId, Instant now) {
                return store.inbox(deviceId, now);
            }

            @Override
            public void delivered(String deviceId, SyncRequest request, Instant at) {
                store.markDelivered(deviceId, request.requestId(), at);
            }
        };
    }
}
