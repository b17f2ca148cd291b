package com.pisync.aws.dynamodb;

import com.pisync.domain.SiteProfile;
import java.time.Duration;
import java.time.Instant;

/**
 * A device's calendar-aware {@code offline_at} from its site's profile, read (strongly consistent) when it
 * is needed: a profile changed by {@code PUT /v1/sites/{site}} re-evaluates the site's devices under their
 * version guard, and a commit racing with it either comes first (and is re-evaluated) or fails its version
 * check and reads the new profile on retry. A device without a site, or of a site without a profile,
 * turns offline after the configured window (24 h by default) of silence, as before v1.1.
 */
public final class SiteCalendars implements DeviceRegistry.OfflineTimes {

    private final SiteStore sites;
    private final Duration defaultWindow;

    public SiteCalendars(SiteStore sites, Duration defaultWindow) {
        this.sites = sites;
        this.defaultWindow = defaultWindow;
    }

    @Override
    public Instant offlineAt(String site, Instant lastSeenAt) {
        if (lastSeenAt == null) {
            return null;
        }
        SiteProfile profile = site == null ? null : sites.get(site, true);
        return offlineAt(profile, lastSeenAt);
    }

    /** With the profile already read (null: none). */
    public Instant offlineAt(SiteProfile profile, Instant lastSeenAt) {
        if (lastSeenAt == null) {
            return null;
        }
        if (profile == null || !profile.configured()) {
            return lastSeenAt.plus(defaultWindow);
        }
        return profile.offlineAt(lastSeenAt);
    }
}
