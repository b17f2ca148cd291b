package com.pisync.aws.ports;

import java.time.Instant;

/** A device answering its sync requests with the event that carries a request id. */
public interface SyncRequestAnswers {

    /**
     * Completed when the sync succeeded, failed otherwise. Only the first answer counts; an unknown request id (a
     * device's own command id, a purged request) changes nothing.
     */
    void complete(String deviceId, String requestId, boolean succeeded, String eventId, Instant at);
}
