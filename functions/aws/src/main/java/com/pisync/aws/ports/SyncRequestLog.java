package com.pisync.aws.ports;

import com.pisync.domain.SyncRequest;

/** A device's sync requests, newest first (request ids sort by the time they were made). */
public interface SyncRequestLog {

    Page<SyncRequest> newestFirst(String deviceId, String after, int limit);
}
