package com.pisync.domain;

import java.time.Instant;

/**
 * The failed syncs since a device's latest success, in device order: how many, and the first one
 * (its order key and device time).
 */
public record FailureStreak(int failures, String startKey, Instant startedAt) {

    public static final FailureStreak NONE = new FailureStreak(0, null, null);

    public boolean isEmpty() {
        return failures == 0;
    }

    /** This streak with one more failure, which may lie before the current first one. */
    public FailureStreak with(SyncEvent failure) {
        String key = failure.orderKey();
        if (startKey == null || key.compareTo(startKey) < 0) {
            return new FailureStreak(failures + 1, key, failure.timestamp());
        }
        return new FailureStreak(failures + 1, startKey, startedAt);
    }
}
