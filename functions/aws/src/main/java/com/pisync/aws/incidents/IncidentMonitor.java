package com.pisync.aws.incidents;

import com.pisync.aws.alerts.AlertPublisher;
import com.pisync.aws.dynamodb.AffectedDevices;
import com.pisync.aws.dynamodb.IncidentStore;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.stats.FleetStats;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.domain.Incident;
import com.pisync.domain.SiteIncidentRule;
import com.pisync.domain.SiteProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Opens and resolves site incidents (contract v1.1), evaluated by the stats function right after it changed a
 * site's status counters: reads the site's counters (strongly consistent) and profile, applies
 * {@link SiteIncidentRule}, and moves the site's incident state with conditional writes, so evaluations
 * racing each other, or repeated for a redelivered stream batch, make each transition once. A transition
 * leaves its notification pending on the incident item in the same transaction; it is published right after
 * (claimed first, so two evaluations never both send it) and, should that fail, by the site's next evaluation
 * (the stats function reports the batch failed, so Lambda retries it and the evaluation runs again).
 */
public final class IncidentMonitor {

    /** Longer than a publish takes; a claim left by a crashed evaluation is taken over after it. */
    public static final Duration CLAIM_LEASE = Duration.ofSeconds(60);

    private final IncidentStore incidents;
    private final SiteStore sites;
    private final FleetStatsStore counters;
    private final AffectedDevices affected;
    private final AlertPublisher publisher;

    public IncidentMonitor(IncidentStore incidents, SiteStore sites, FleetStatsStore counters, AffectedDevices affected,
            AlertPublisher publisher) {
        this.incidents = incidents;
        this.sites = sites;
        this.counters = counters;
        this.affected = affected;
        this.publisher = publisher;
    }

    /** What changed for a site: its devices that turned failing or offline in the batch (may be empty). */
    public record SiteChange(String site, Collection<String> newlyAffected) {
    }

    /** Evaluates each site; every one is tried, the first failure is thrown at the end (the batch is retried). */
    public void evaluate(List<SiteChange> changes, Instant now) {
        RuntimeException first = null;
        for (SiteChange c : changes) {
            try {
                evaluate(c.site(), c.newlyAffected(), now);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Evaluates one site's incident state now; a few attempts when another evaluation moves it meanwhile. */
    public void evaluate(String site, Collection<String> newlyAffected, Instant now) {
        if (site == null || site.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            if (evaluateOnce(site, newlyAffected, now)) {
                return;
            }
        }
        // Still racing: another evaluation of the same site is moving it; the latest one sees the latest counters.
    }

    private boolean evaluateOnce(String site, Collection<String> newlyAffected, Instant now) {
        IncidentStore.SiteState state = incidents.state(site, true);
        SiteProfile profile = sites.profileOf(site, false);
        FleetStats.Devices d = counters.devicesConsistent(site);
        SiteIncidentRule.Counts counts = new SiteIncidentRule.Counts(d.healthy(), d.failing(), d.offline());
        if (state.openIncidentId() == null) {
            if (state.lastIncidentId() != null) {
                flush(state.lastIncidentId(), now); // an earlier resolution left unpublished by a crash
            }
            if (SiteIncidentRule.decide(false, counts, profile) != SiteIncidentRule.Decision.OPEN) {
                return true;
            }
            Incident opened = Incident.open(site, state.generation() + 1, now, counts.affected(), counts.active());
            if (!incidents.open(site, state, opened)) {
                return false; // the state moved: read again
            }
            List<String> ids = affected.of(site, IncidentStore.MAX_DEVICES);
            incidents.addDevices(opened.incidentId(), ids);
            incidents.addDevices(opened.incidentId(), newlyAffected);
            flush(opened.incidentId(), now);
            return true;
        }
        IncidentStore.Stored stored = incidents.get(state.openIncidentId(), true);
        if (stored == null) {
            throw new IllegalStateException("site " + site + " names open incident " + state.openIncidentId()
                    + ", which does not exist");
        }
        flush(stored, now); // its opening, if a crash left it unpublished
        Incident open = stored.incident();
        if (!newlyAffected.isEmpty()) {
            incidents.addDevices(open.incidentId(), newlyAffected);
        }
        if (SiteIncidentRule.decide(true, counts, profile) == SiteIncidentRule.Decision.RESOLVE) {
            if (!incidents.resolve(open.resolved(now, counts.affected(), counts.active()))) {
                return false;
            }
            flush(open.incidentId(), now);
            return true;
        }
        Incident updated = open.withCounts(counts.affected(), counts.active());
        if (!updated.equals(open)) {
            incidents.updateCounts(updated);
        }
        return true;
    }

    private void flush(String incidentId, Instant now) {
        IncidentStore.Stored stored = incidents.get(incidentId, true);
        if (stored != null) {
            flush(stored, now);
        }
    }

    /** Publishes the incident's pending notifications in order: claim, publish, complete. */
    private void flush(IncidentStore.Stored stored, Instant now) {
        for (IncidentStore.Notification n : stored.pending()) {
            String claim = UUID.randomUUID().toString();
            String id = stored.incident().incidentId();
            if (!incidents.claim(id, n, claim, now, now.plus(CLAIM_LEASE))) {
                continue; // published already, or another evaluation is publishing it
            }
            try {
                // The message shows the incident as it is now (a resolution shows its final counts).
                IncidentStore.Stored latest = incidents.get(id, true);
                publisher.publish(latest == null ? stored.incident() : latest.incident(), n.type());
            } catch (RuntimeException e) {
                try {
                    incidents.release(id, n, claim);
                } catch (RuntimeException released) {
                    e.addSuppressed(released);
                }
                throw e;
            }
            incidents.complete(id, n, claim);
        }
    }
}
