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

    /**
     * The statistics of several sites together (a user bound to those sites asking without {@code site}): counts and
     * days added, the average speed weighted by each site's syncs.
     */
    public static FleetStats sum(List<FleetStats> parts) {
        long h = 0, f = 0, o = 0, n = 0, d = 0, syncs = 0, failures = 0, files = 0;
        double speedSum = 0;
        long speedSyncs = 0;
        java.util.TreeMap<LocalDate, long[]> days = new java.util.TreeMap<>();
        for (FleetStats s : parts) {
            h += s.devices().healthy();
            f += s.devices().failing();
            o += s.devices().offline();
            n += s.devices().neverSynced();
            d += s.devices().decommissioned();
            syncs += s.last24h().syncs();
            failures += s.last24h().failures();
            files += s.last24h().filesSynced();
            if (s.last24h().avgInternetSpeed() != null) {
                speedSum += s.last24h().avgInternetSpeed() * s.last24h().syncs();
                speedSyncs += s.last24h().syncs();
            }
            for (Day day : s.daily()) {
                long[] t = days.computeIfAbsent(day.date(), k -> new long[3]);
                t[0] += day.syncs();
                t[1] += day.failures();
                t[2] += day.filesSynced();
            }
        }
        List<Day> daily = new java.util.ArrayList<>();
        days.forEach((date, t) -> daily.add(new Day(date, t[0], t[1], t[2])));
        return new FleetStats(new Devices(h, f, o, n, d),
                new Last24h(syncs, failures, files, speedSyncs == 0 ? null : speedSum / speedSyncs), daily);
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
