package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SiteDirectory;
import com.pisync.domain.SiteProfile;

/** {@link SiteDirectory} on the sites table: GetItem (eventually consistent), or a page of {@code all_sites}. */
public final class DynamoSiteDirectory implements SiteDirectory {

    private final SiteStore store;
    private final IndexPager pager;

    public DynamoSiteDirectory(SiteStore store, IndexPager pager) {
        this.store = store;
        this.pager = pager;
    }

    @Override
    public SiteProfile get(String site) {
        return store.get(site, false);
    }

    @Override
    public Page<SiteProfile> page(String after, int limit) {
        SiteStore.Page page = store.page(pager, after, limit);
        return new Page<>(page.sites(), page.nextAfter());
    }
}
