package com.pisync.aws.ports;

import java.time.Instant;

/** Sites as devices name them: a site exists (listed, with the default profile) as soon as a device names it. */
public interface SiteNames {

    /** Lists the site if it is not listed yet; a site already listed, or with a profile, is left as it is. */
    void ensureNamed(String site, Instant now);
}
