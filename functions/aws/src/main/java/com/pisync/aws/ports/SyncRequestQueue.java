package com.pisync.aws.ports;

import com.pisync.domain.AuditEntry;
import com.pisync.domain.SyncRequest;
import java.time.Instant;

/** Admins queueing sync requests for a device, each with its audit entry, up to a limit of open ones. */
public interface SyncRequestQueue {

    /** A device has at most this many open requests; more clicks add nothing the device would do. */
    int MAX_OPEN = 20;

    /** How many of the device's requests are still open (queued or delivered, not expired) at {@code now}. */
    int openCount(String deviceId, Instant now);

    /**
     * Stores the request and its audit entry in one write.
     *
     * @return false when the entry already exists: this very request (a retry) queued one before, and nothing
     *     was written now
     * @throws IllegalStateException when the request id is taken (retry with a new one)
     */
    boolean queue(SyncRequest request, AuditEntry entry);
}
