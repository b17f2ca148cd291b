package com.pisync.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A device's failure streak that reached the threshold: open until the streak falls below it.
 *
 * @param incidentId the site incident that was open when the alert opened or resolved (contract v1.1): its
 *        transitions were stored but not published one by one; null otherwise
 */
public record Alert(
        String alertId,
        String deviceId,
        String site,
        AlertState state,
        int consecutiveFailures,
        Instant streakStartedAt,
        Instant openedAt,
        Instant resolvedAt,
        String lastError,
        String incidentId) {

    public static final String TYPE = "failure_streak";

    /** An alert outside any site incident. */
    public Alert(String alertId, String deviceId, String site, AlertState state, int consecutiveFailures,
            Instant streakStartedAt, Instant openedAt, Instant resolvedAt, String lastError) {
        this(alertId, deviceId, site, state, consecutiveFailures, streakStartedAt, openedAt, resolvedAt, lastError, null);
    }

    /** The same alert, filed under a site incident (null: none). */
    public Alert withIncident(String incident) {
        return new Alert(alertId, deviceId, site, state, consecutiveFailures, streakStartedAt, openedAt, resolvedAt,
                lastError, incident);
    }

    /**
     * The id is derived from the event that made the streak reach the threshold, so reprocessing the
     * same events can only ever name the same alert.
     */
    public static String idFor(String deviceId, String crossingEventKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((deviceId + "\n" + crossingEventKey).getBytes(StandardCharsets.UTF_8));
            return "alr_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public Alert withStreak(int failures, Instant startedAt, String error) {
        return new Alert(alertId, deviceId, site, state, Math.max(consecutiveFailures, failures), startedAt, openedAt,
                resolvedAt, error, incidentId);
    }

    public Alert resolved(Instant at) {
        return new Alert(alertId, deviceId, site, AlertState.RESOLVED, consecutiveFailures, streakStartedAt, openedAt,
                at, lastError, incidentId);
    }
}
