package com.pisync.aws.live;

import com.pisync.aws.auth.Caller;
import java.util.Set;

/**
 * Who a live connection belongs to, as the ticket recorded it: the user and the sites they may see ({@code bound}
 * false: every site). Taken from the caller's token when the ticket is issued, so a connection keeps the sites
 * the user had then (at most 2 h, API Gateway's longest connection; a reconnect takes the new ones).
 */
public record Subscriber(String username, Set<String> sites, boolean bound) {

    public Subscriber {
        sites = Set.copyOf(sites);
    }

    public static Subscriber of(Caller caller) {
        return new Subscriber(caller.username(), caller.sites(), caller.siteBound());
    }

    /** As {@link Caller#canSee}: an unbound user sees every site, a bound one only theirs. */
    public boolean canSee(String site) {
        return !bound || (site != null && sites.contains(site));
    }
}
