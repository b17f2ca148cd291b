package com.pisync.local.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runner's clock when {@code PISYNC_CLOCK_START} is set (tests and demos of calendars): it starts at that
 * instant, runs at real speed, and {@link #advance} jumps it forward, so a weekend can pass in a second. Only the
 * functions' time moves: tokens are still checked against real time (Cognito stamps them with it), and tables created
 * under it get no TTL (the engine expires items on real time, which this clock is not).
 */
public final class ShiftedClock extends Clock {

    private final AtomicReference<Duration> offset;

    private ShiftedClock(Duration offset) {
        this.offset = new AtomicReference<>(offset);
    }

    static ShiftedClock startingAt(Instant start) {
        return new ShiftedClock(Duration.between(Instant.now(), start));
    }

    /** Moves the clock forward by {@code d} (never back: the functions' writes assume time only grows). */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward: " + d);
        }
        offset.updateAndGet(o -> o.plus(d));
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
