package com.pisync.aws.ports;

import com.pisync.aws.stats.FleetStats;
import java.time.Instant;

/** The fleet's counters (devices by status, syncs per hour and day), for the fleet or one site. */
public interface FleetCounters {

    /** Devices by status, syncs in the last 24 hours and per day, as of {@code now}. */
    FleetStats read(String siteOrNull, Instant now);

    /** Devices by status only. */
    FleetStats.Devices devices(String siteOrNull, Instant now);
}
