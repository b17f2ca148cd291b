package com.pisync.memory;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncRequestAnswers;
import com.pisync.aws.ports.SyncRequestLog;
import com.pisync.domain.SyncRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sync requests in memory, a device's newest first (by request id, which starts with its creation time), answered
 * as the table's condition allows: only a request stored as queued or delivered takes an answer (expiry is decided on
 * read, so an expired one still does, as on the table).
 */
public final class MemorySyncRequestLog implements SyncRequestLog, SyncRequestAnswers {

    private final Map<String, SyncRequest> requests = new LinkedHashMap<>();

    public synchronized MemorySyncRequestLog put(SyncRequest request) {
        requests.put(request.requestId(), request);
        return this;
    }

    /** The device's requests, in the order stored. */
    synchronized java.util.List<SyncRequest> all(String deviceId) {
        return requests.values().stream().filter(r -> r.deviceId().equals(deviceId)).toList();
    }

    @Override
    public synchronized Page<SyncRequest> newestFirst(String deviceId, String after, int limit) {
        return SortedPages.page(requests.values().stream().filter(r -> r.deviceId().equals(deviceId)).toList(),
                SyncRequest::requestId, true, after, limit);
    }

    @Override
    public synchronized void complete(String deviceId, String requestId, boolean succeeded, String eventId,
            Instant at) {
        SyncRequest r = requests.get(requestId);
        if (r == null || !r.deviceId().equals(deviceId) || !r.status().open()) {
            return; // unknown, or answered already: the first answer wins
        }
        requests.put(requestId, new SyncRequest(requestId, deviceId,
                succeeded ? SyncRequest.Status.COMPLETED : SyncRequest.Status.FAILED, r.requestedAt(), r.expiresAt(),
                r.deliveredAt(), at, eventId));
    }
}
