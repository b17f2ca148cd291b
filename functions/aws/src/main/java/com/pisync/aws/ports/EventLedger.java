package com.pisync.aws.ports;

import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A device's history as the processor keeps it, in device order: which events are stored, storing more, and the
 * failure streak after a point (for a late success inside a streak).
 */
public interface EventLedger {

    /**
     * Which of these order keys of the device are stored. An eventually consistent answer may miss a just-written
     * entry, never invent one.
     */
    Set<String> storedKeys(String deviceId, Collection<String> orderKeys, boolean consistent);

    /**
     * Stores events newer than every event the device has stored, upload by upload (each list one upload's,
     * ranges not overlapping): an upload of two or more events may be kept as one entry (fewer writes), so it is
     * always stored whole — storing it again, or storing part of it, stores nothing new.
     */
    void putNewest(List<List<ReceivedSyncEvent>> uploads, String site);

    /**
     * Stores events with their site wherever they fall in the device's order (a late event may join a stored
     * upload); storing an event again stores the same entry.
     */
    void putAll(Collection<ReceivedSyncEvent> events, String site);

    /** The device's stored events after {@code orderKey} in device order, as a failure streak (strongly consistent). */
    FailureStreak failuresAfter(String deviceId, String orderKey);
}
