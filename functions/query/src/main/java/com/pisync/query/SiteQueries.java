package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.FleetCounters;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SiteDirectory;
import com.pisync.aws.views.Views;
import com.pisync.domain.Device;
import com.pisync.domain.FieldError;
import com.pisync.domain.SiteProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Contract v1.1 reads: sites (profile, devices by status, open incident) and the devices holding data at
 * risk. Each page costs the same at any fleet size: the sites come from the {@code all_sites} index, the
 * at-risk devices from the sparse {@code at_risk} (or {@code at_risk_by_site}) index sorted by
 * {@code data_at_risk_since}, then one BatchGetItem.
 */
final class SiteQueries {

    /** Where an open incident will come from; the incidents feature plugs in here. */
    @FunctionalInterface
    interface OpenIncidents {
        /** The site's open incident as the API shows it, or null. */
        JsonNode openIncident(String site);

        OpenIncidents NONE = site -> null;
    }

    static final double MAX_MIN_HOURS = 24 * 3660;

    private final SiteDirectory sites;
    private final DeviceDirectory devices;
    private final FleetCounters stats;
    private final OpenIncidents incidents;
    private final Lists lists;
    private final Views.StatusPolicy policy;
    private final Clock clock;

    SiteQueries(SiteDirectory sites, DeviceDirectory devices, FleetCounters stats, OpenIncidents incidents,
            Lists lists, Views.StatusPolicy policy, Clock clock) {
        this.sites = sites;
        this.devices = devices;
        this.stats = stats;
        this.incidents = incidents;
        this.lists = lists;
        this.policy = policy;
        this.clock = clock;
    }

    /** {@code {site}} of the path, checked like a device's site. */
    static String siteParam(APIGatewayV2HTTPEvent request) {
        Map<String, String> path = request.getPathParameters();
        String site = path == null ? null : path.get("site");
        String problem = SiteProfile.siteProblem(site);
        if (problem != null) {
            throw ApiProblem.badRequest("The site in the path is not a valid site id.",
                    List.of(new FieldError("site", problem)));
        }
        return site;
    }

    ObjectNode get(String site) {
        SiteProfile p = sites.get(site);
        if (p == null) {
            // A site exists as soon as a device names it (also one registered before sites had items).
            if (devices.page(DeviceDirectory.Filter.ofSite(site), null, 1).items().isEmpty()) {
                throw ApiProblem.notFound("No site '" + site + "'.");
            }
            p = SiteProfile.defaults(site);
        }
        return view(p);
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, Caller caller) {
        QueryParams p = new QueryParams(event);
        Lists.Request request = lists.open(event, p);
        String after = request.at("after");
        if (caller.siteBound()) {
            return boundList(request, caller, after == null || after.isEmpty() ? null : after);
        }
        Page<SiteProfile> page = sites.page(after == null || after.isEmpty() ? null : after, request.limit());
        List<ObjectNode> items = new ArrayList<>();
        page.items().forEach(s -> items.add(view(s)));
        return Views.list(items, page.nextAfter() == null ? null : lists.next(request, Map.of("after", page.nextAfter())));
    }

    /**
     * A user bound to sites lists only their sites (in site-id order, as the index does), a page of them
     * at a time: one GetItem per site of the page, so the page costs O(page) however many sites exist.
     * A bound site that does not exist (no profile, no device) is left out, as GET /v1/sites/{site} 404s.
     */
    private ObjectNode boundList(Lists.Request request, Caller caller, String after) {
        List<String> mine = caller.sites().stream().sorted().filter(s -> after == null || s.compareTo(after) > 0)
                .toList();
        List<ObjectNode> items = new ArrayList<>();
        String last = null;
        int i = 0;
        for (; i < mine.size() && items.size() < request.limit(); i++) {
            last = mine.get(i);
            try {
                items.add(get(last));
            } catch (ApiProblem unknown) {
                if (unknown.status() != 404) {
                    throw unknown;
                }
            }
        }
        String next = i < mine.size() ? lists.next(request, Map.of("after", last)) : null;
        return Views.list(items, next);
    }

    private ObjectNode view(SiteProfile p) {
        return Views.site(p, stats.devices(p.site(), clock.instant()), incidents.openIncident(p.site()));
    }

    /** Devices holding unsynced data, oldest {@code data_at_risk_since} first (ties: more pending files first). */
    ObjectNode atRisk(APIGatewayV2HTTPEvent event, Caller caller) {
        QueryParams p = new QueryParams(event);
        String site = p.string("site", SiteProfile.MAX_SITE_LENGTH);
        Double minHours = minHours(event, p);
        Lists.Request request = lists.open(event, p);
        Instant now = clock.instant();
        if (site != null && !caller.canSee(site)) {
            return Views.list(List.of(), null); // another site's devices: none for this caller
        }
        // A user bound to sites reads their sites' partitions of at_risk_by_site, merged in risk order.
        List<String> scope = site != null ? List.of(site)
                : caller.siteBound() ? caller.sites().stream().sorted().toList() : null;
        if (scope != null && scope.isEmpty()) {
            return Views.list(List.of(), null); // bound to sites none of which can be named
        }
        Instant upTo = minHours != null && minHours > 0
                ? now.minus(Duration.ofMillis(Math.round(minHours * 3_600_000d))) : null;
        String after = request.at("after");
        Page<String> r = devices.atRisk(scope, upTo, after == null || after.isEmpty() ? null : after, request.limit());
        Map<String, Device> found = devices.get(r.items());
        List<ObjectNode> items = new ArrayList<>();
        for (String id : r.items()) {
            Device device = found.get(id);
            if (device != null) {
                ObjectNode d = Views.device(device, policy, now);
                if (!d.path("data_at_risk_since").isNull() // the index may lag the item
                        && caller.canSee(d.path("site").asText(null))) { // ... also a device that moved site
                    items.add(d);
                }
            }
        }
        return Views.list(items, r.nextAfter() == null ? null : lists.next(request, Map.of("after", r.nextAfter())));
    }

    private static Double minHours(APIGatewayV2HTTPEvent event, QueryParams p) {
        Map<String, String> q = event.getQueryStringParameters();
        String v = q == null ? null : q.get("min_hours");
        if (v == null || v.isEmpty()) {
            return null;
        }
        double x;
        try {
            if (!v.matches("[0-9]{1,9}(\\.[0-9]{1,6})?")) {
                throw new NumberFormatException(v);
            }
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            p.error("min_hours", "must be a number ≥ 0 (hours), e.g. 24 or 1.5");
            return null;
        }
        if (x > MAX_MIN_HOURS) {
            p.error("min_hours", "must be at most " + (long) MAX_MIN_HOURS);
            return null;
        }
        return x;
    }
}
