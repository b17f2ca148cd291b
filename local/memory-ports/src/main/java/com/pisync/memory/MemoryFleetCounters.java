package com.pisync.memory;

import com.pisync.aws.ports.FleetCounters;
import com.pisync.aws.stats.FleetStats;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Devices-by-status counters in memory, per site (null: the fleet); no sync history (zeros, no days). */
public final class MemoryFleetCounters implements FleetCounters {

    private final Map<String, FleetStats.Devices> devices = new HashMap<>();

    public synchronized MemoryFleetCounters put(String siteOrNull, FleetStats.Devices counts) {
        devices.put(siteOrNull, counts);
        return this;
    }

    @Override
    public synchronized FleetStats read(String siteOrNull, Instant now) {
        return new FleetStats(devices(siteOrNull, now), new FleetStats.Last24h(0, 0, 0, null), List.of());
    }

    @Override
    public synchronized FleetStats.Devices devices(String siteOrNull, Instant now) {
        return devices.getOrDefault(siteOrNull, new FleetStats.Devices(0, 0, 0, 0, 0));
    }
}
