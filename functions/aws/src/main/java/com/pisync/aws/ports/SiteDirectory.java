package com.pisync.aws.ports;

import com.pisync.domain.SiteProfile;

/** Site profiles, one by id or a page at a time in site-id order. */
public interface SiteDirectory {

    /** The site's profile (the defaults when none is set), or null when the site has no item. */
    SiteProfile get(String site);

    /** Sites in site-id order. */
    Page<SiteProfile> page(String after, int limit);
}
