package com.pisync.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A site incident (contract v1.1): many of a site's active devices failing or offline at once. One is open
 * per site at most; it opens and resolves by {@link SiteIncidentRule}.
 *
 * @param devicesAffected failing or offline devices at the last evaluation (for a resolved incident: when it
 *        resolved)
 * @param devicesActive active devices (neither decommissioned nor never synced) at the last evaluation
 * @param peakAffected the most devices affected at once while the incident was open
 */
public record Incident(
        String incidentId,
        String site,
        AlertState state,
        Instant openedAt,
        Instant resolvedAt,
        long devicesAffected,
        long devicesActive,
        long peakAffected) {

    public static final String OPENED = "site.incident_opened";
    public static final String RESOLVED = "site.incident_resolved";

    public Incident {
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(state, "state");
    }

    /**
     * The id of a site's {@code generation}-th incident: a function of both, so two evaluations racing to open
     * the same incident (or one retried) can only ever name the same one.
     */
    public static String idFor(String site, long generation) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((site + "\n" + generation).getBytes(StandardCharsets.UTF_8));
            return "inc_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A new open incident. */
    public static Incident open(String site, long generation, Instant at, long affected, long active) {
        return new Incident(idFor(site, generation), site, AlertState.OPEN, at, null, affected, active, affected);
    }

    public boolean isOpen() {
        return state == AlertState.OPEN;
    }

    /** The same incident with the latest counts (the peak only grows). */
    public Incident withCounts(long affected, long active) {
        return new Incident(incidentId, site, state, openedAt, resolvedAt, affected, active,
                Math.max(peakAffected, affected));
    }

    public Incident resolved(Instant at, long affected, long active) {
        return new Incident(incidentId, site, AlertState.RESOLVED, openedAt, at, affected, active,
                Math.max(peakAffected, affected));
    }
}
