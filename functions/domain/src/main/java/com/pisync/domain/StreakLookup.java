package com.pisync.domain;

/**
 * Answers, from a device's stored history, the failures that follow a point in device order. Needed
 * only when a late success lands inside the current streak and cuts it short.
 */
@FunctionalInterface
public interface StreakLookup {

    /** The already-applied events after {@code orderKey} (all failures, by construction) as a streak. */
    FailureStreak failuresAfter(String orderKey);
}
