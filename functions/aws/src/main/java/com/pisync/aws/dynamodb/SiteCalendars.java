package com.pisync.aws.dynamodb;

import com.pisync.domain.SiteProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A device's calendar-aware {@code offline_at} from its site's profile. A device without a site, or of a site
 * without a profile, turns offline after the configured window (24 h by default) of silence, as before v1.1.
 *
 * <p>Uncached ({@link #SiteCalendars(SiteStore, Duration)}: admin, registry), the profile is read strongly
 * consistent each time. Cached ({@link #cached}: the processor, which would otherwise pay a read per device
 * commit — 1 RCU per event at one event per upload), a profile read is kept for a few minutes and trusted only
 * while it is at least as new as the calendar version the device's stored {@code offline_at} came from
 * ({@code calendar_at}). That keeps a calendar change exact: {@code PUT /v1/sites/{site}} stores the profile,
 * then stamps every device of the site with the new version under its version guard. A commit with an older
 * cached profile either reads the device before the stamp (and the re-evaluation, reading after, or failing its
 * version check, corrects it) or after it (then the stamp is newer than the cache and the profile is read again).
 */
public final class SiteCalendars implements DeviceRegistry.OfflineTimes {

    /** Profiles a container keeps; beyond this the cache starts over (sites are few next to devices). */
    private static final int MAX_CACHED = 10_000;

    private final SiteStore sites;
    private final Duration defaultWindow;
    private final Duration keep;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(SiteProfile profile, Instant readAt) {
        Instant version() {
            return profile == null ? null : profile.updatedAt();
        }
    }

    public SiteCalendars(SiteStore sites, Duration defaultWindow) {
        this(sites, defaultWindow, Duration.ZERO, Clock.systemUTC());
    }

    private SiteCalendars(SiteStore sites, Duration defaultWindow, Duration keep, Clock clock) {
        this.sites = sites;
        this.defaultWindow = defaultWindow;
        this.keep = keep;
        this.clock = clock;
    }

    /** Profiles read once per site and kept up to {@code keep}, as long as no device has seen a newer one. */
    public static SiteCalendars cached(SiteStore sites, Duration defaultWindow, Duration keep, Clock clock) {
        return new SiteCalendars(sites, defaultWindow, keep, clock);
    }

    @Override
    public DeviceRegistry.OfflineTime offlineAt(String site, Instant lastSeenAt, Instant calendarSeen) {
        if (lastSeenAt == null) {
            return new DeviceRegistry.OfflineTime(null, null);
        }
        SiteProfile profile = site == null ? null : profile(site, calendarSeen);
        return new DeviceRegistry.OfflineTime(offlineAt(profile, lastSeenAt), profile == null ? null : profile.updatedAt());
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

    private SiteProfile profile(String site, Instant calendarSeen) {
        if (keep.isZero()) {
            return sites.get(site, true);
        }
        Instant now = clock.instant();
        Cached c = cache.get(site);
        if (c != null && now.isBefore(c.readAt().plus(keep)) && !olderThan(c.version(), calendarSeen)) {
            return c.profile();
        }
        SiteProfile read = sites.get(site, true);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(site, new Cached(read, now));
        return read;
    }

    /** True when {@code version} (null: no profile) is older than what a device has seen (null: nothing). */
    private static boolean olderThan(Instant version, Instant seen) {
        return seen != null && (version == null || version.isBefore(seen));
    }
}
