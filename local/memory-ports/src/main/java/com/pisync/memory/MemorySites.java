package com.pisync.memory;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SiteDirectory;
import com.pisync.domain.SiteProfile;
import java.util.List;
import java.util.TreeMap;

/** Site profiles in memory, in site-id order. */
public final class MemorySites implements SiteDirectory {

    private final TreeMap<String, SiteProfile> sites = new TreeMap<>();

    public synchronized MemorySites put(SiteProfile profile) {
        sites.put(profile.site(), profile);
        return this;
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
