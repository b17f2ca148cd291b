package com.pisync.aws.ports;

import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import java.util.Collection;
import java.util.Set;

/**
 * A device's history as the processor keeps it, one entry per event keyed by device and order key: which events
 * are stored, storing more, and the failure streak after a point (for a late success inside a streak).
 */
public interface EventLedger {

    /**
     * Which of these order keys of the device are stored. An eventually consistent answer may miss a just-written
     * entry, never invent one.
     */
    Set<String> storedKeys(String deviceId, Collection<String> orderKeys, boolean consistent);

    /** Stores the events with their site; storing an event again stores the same entry. */
    void putAll(Collection<ReceivedSyncEvent> events, String site);

    /** The device's stored events after {@code orderKey} in device order, as a failure streak (strongly consistent). */
    FailureStreak failuresAfter(String deviceId, String orderKey);
}
