package com.pisync.memory;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncRequestLog;
import com.pisync.domain.SyncRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sync requests in memory, a device's newest first (by request id, which starts with its creation time). */
public final class MemorySyncRequestLog implements SyncRequestLog {

    private final Map<String, SyncRequest> requests = new LinkedHashMap<>();

    public synchronized MemorySyncRequestLog put(SyncRequest request) {
        requests.put(request.requestId(), request);
        return this;
    }

    @Override
    public synchronized Page<SyncRequest> newestFirst(String deviceId, String after, int limit) {
        return SortedPages.page(requests.values().stream().filter(r -> r.deviceId().equals(deviceId)).toList(),
                SyncRequest::requestId, true, after, limit);
    }
}
