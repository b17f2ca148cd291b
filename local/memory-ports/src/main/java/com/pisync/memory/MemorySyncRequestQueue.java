package com.pisync.memory;

import com.pisync.aws.ports.SyncRequestQueue;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.SyncRequest;
import java.time.Instant;

/**
 * Queueing sync requests into a {@link MemorySyncRequestLog} with their entries in a {@link MemoryAuditLog}, both
 * or neither (as the one transaction on the tables): an entry already written (a retry) writes nothing.
 */
public final class MemorySyncRequestQueue implements SyncRequestQueue {

    private final MemorySyncRequestLog requests;
    private final MemoryAuditLog audit;

    public MemorySyncRequestQueue(MemorySyncRequestLog requests, MemoryAuditLog audit) {
        this.requests = requests;
        this.audit = audit;
    }

    @Override
    public int openCount(String deviceId, Instant now) {
        return (int) requests.all(deviceId).stream()
                .filter(r -> r.status().open() && r.expiresAt().isAfter(now)).count();
    }

    @Override
    public synchronized boolean queue(SyncRequest request, AuditEntry entry) {
        if (audit.contains(entry.auditId())) {
            return false;
        }
        if (requests.all(request.deviceId()).stream().anyMatch(r -> r.requestId().equals(request.requestId()))) {
            throw new IllegalStateException("sync request id " + request.requestId() + " already taken; retry");
        }
        requests.put(request);
        audit.record(entry);
        return true;
    }
}
