package com.pisync.domain;

import java.time.Instant;
import java.util.Objects;

/** A sync event with the server time of the upload that carried it. */
public record ReceivedSyncEvent(SyncEvent event, Instant receivedAt) {

    public ReceivedSyncEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    public String orderKey() {
        return event.orderKey();
    }
}
