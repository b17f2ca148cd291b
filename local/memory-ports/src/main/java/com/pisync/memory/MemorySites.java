package com.pisync.memory;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SiteDirectory;
import com.pisync.aws.ports.SiteNames;
import com.pisync.domain.SiteProfile;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/** Site profiles in memory, in site-id order; a site a device names is listed with the defaults. */
public final class MemorySites implements SiteDirectory, SiteNames {

    private final TreeMap<String, SiteProfile> sites = new TreeMap<>();

    public synchronized MemorySites put(SiteProfile profile) {
        sites.put(profile.site(), profile);
        return this;
    }

    @Override
    public synchronized void ensureNamed(String site, Instant now) {
        sites.putIfAbsent(site, SiteProfile.defaults(site));
    }

    @Override
    public synchronized SiteProfile get(String site) {
        return sites.get(site);
    }

    @Override
    public synchronized Page<SiteProfile> page(String after, int limit) {
        return SortedPages.page(List.copyOf(sites.values()), SiteProfile::site, false, after, limit);
    }
}
