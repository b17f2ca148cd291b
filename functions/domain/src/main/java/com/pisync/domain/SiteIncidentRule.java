package com.pisync.domain;

/**
 * When a site's incident opens and resolves (contract v1.1), from the site's devices by status: an incident
 * opens when at least {@code incident_min_devices} and at least {@code incident_ratio} of the active devices
 * (neither decommissioned nor never synced) are failing or offline at once; it resolves when fewer than
 * {@code incident_min_devices} or less than half of {@code incident_ratio} are. Between the two thresholds an
 * open incident stays open and a closed one stays closed (hysteresis: one flapping device does not flap it).
 */
public final class SiteIncidentRule {

    /** What to do with a site's incident state. */
    public enum Decision { OPEN, RESOLVE, STAY_OPEN, STAY_CLOSED }

    /** A site's devices as the incident rule counts them. */
    public record Counts(long healthy, long failing, long offline) {
        public Counts {
            if (healthy < 0 || failing < 0 || offline < 0) {
                // counters move by stream records in any order across shards; a momentary negative counts as none
                healthy = Math.max(0, healthy);
                failing = Math.max(0, failing);
                offline = Math.max(0, offline);
            }
        }

        public long affected() {
            return failing + offline;
        }

        public long active() {
            return healthy + failing + offline;
        }
    }

    private static final double EPSILON = 1e-9;

    private SiteIncidentRule() {
    }

    public static boolean opens(long affected, long active, double ratio, int minDevices) {
        return active > 0 && affected >= minDevices && affected + EPSILON >= ratio * active;
    }

    public static boolean resolves(long affected, long active, double ratio, int minDevices) {
        return affected < minDevices || affected + EPSILON < (ratio / 2) * active;
    }

    public static Decision decide(boolean open, Counts counts, SiteProfile profile) {
        long affected = counts.affected();
        long active = counts.active();
        if (open) {
            return resolves(affected, active, profile.incidentRatio(), profile.incidentMinDevices())
                    ? Decision.RESOLVE : Decision.STAY_OPEN;
        }
        return opens(affected, active, profile.incidentRatio(), profile.incidentMinDevices())
                ? Decision.OPEN : Decision.STAY_CLOSED;
    }
}
