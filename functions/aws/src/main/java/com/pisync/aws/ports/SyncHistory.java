package com.pisync.aws.ports;

import com.pisync.domain.ReceivedSyncEvent;

/** A device's stored sync events, newest first in device order. */
public interface SyncHistory {

    /**
     * A stored event.
     *
     * @param position where it sits in its device's history (pass as {@code before} to read on)
     * @param site the site it was stored with (null: none)
     */
    record Entry(String position, ReceivedSyncEvent event, String site) {
    }

    /**
     * Up to {@code limit} of the device's events older (in device order) than {@code before} (null: from the
     * newest). {@code nextAfter} is the last entry's position when more may follow, else null.
     */
    Page<Entry> newestFirst(String deviceId, String before, int limit);
}
