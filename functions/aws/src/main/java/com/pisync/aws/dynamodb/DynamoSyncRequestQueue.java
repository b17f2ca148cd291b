package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.SyncRequestQueue;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.SyncRequest;
import java.time.Instant;

/**
 * {@link SyncRequestQueue} on the sync requests table ({@link SyncRequestStore}): open requests counted from the
 * device's inbox Query, a request and its audit entry written in one TransactWriteItems.
 */
public final class DynamoSyncRequestQueue implements SyncRequestQueue {

    private final SyncRequestStore requests;
    private final DynamoAuditLog audit;

    public DynamoSyncRequestQueue(SyncRequestStore requests, DynamoAuditLog audit) {
        this.requests = requests;
        this.audit = audit;
    }

    @Override
    public int openCount(String deviceId, Instant now) {
        return requests.open(deviceId, now).size();
    }

    @Override
    public boolean queue(SyncRequest request, AuditEntry entry) {
        return requests.create(request, audit.table(), entry);
    }
}
