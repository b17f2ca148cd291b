package com.pisync.aws.stats;

import java.time.LocalDate;
import java.util.List;

/**
 * The dashboard's fleet (or one site's) statistics: devices by status now, the last 24 hours by
 * server receipt time, and 30 days of activity by device timestamp, oldest first.
 */
public record FleetStats(Devices devices, Last24h last24h, List<Day> daily) {

    public FleetStats {
        daily = List.copyOf(daily);
    }

    public record Devices(long healthy, long failing, long offline, long neverSynced, long decommissioned) {
        public long total() {
            return healthy + failing + offline + neverSynced + decommissioned;
        }
    }

    /** @param avgInternetSpeed Mbps over the period's syncs; null when there were none */
    public record Last24h(long syncs, long failures, long filesSynced, Double avgInternetSpeed) {
    }

    public record Day(LocalDate date, long syncs, long failures, long filesSynced) {
    }
}
