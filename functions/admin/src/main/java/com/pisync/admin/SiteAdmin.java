package com.pisync.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.aws.dynamodb.DynamoDeviceDirectory;
import com.pisync.aws.dynamodb.DynamoDeviceStatuses;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.SiteCalendars;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.ports.FleetCounters;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.aws.views.Views;
import com.pisync.domain.FieldError;
import com.pisync.domain.SiteProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code PUT /v1/sites/{site}} (contract v1.1): validates and stores the profile, then re-evaluates the
 * site's devices ({@link SiteReevaluation}); a repeated PUT finds nothing to change.
 */
final class SiteAdmin {

    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "site-reevaluation");
        t.setDaemon(true);
        return t;
    });

    private final SiteStore sites;
    private final SiteReevaluation devices;
    private final FleetCounters stats;
    private final DynamoAuditLog audit;
    private final Clock clock;

    SiteAdmin(DynamoDbClient dynamo, PiSyncConfig config, Clock clock) {
        this.sites = new SiteStore(dynamo, config.sitesTable());
        this.devices = new SiteReevaluation(
                new DynamoDeviceDirectory(dynamo, new IndexPager(dynamo, WORKERS), config.devicesTable()),
                new DynamoDeviceStatuses(dynamo, config.devicesTable()),
                new SiteCalendars(sites, config.offlineWindow()), config.failureThreshold());
        this.stats = new FleetStatsStore(dynamo, config.statsTable());
        this.audit = new DynamoAuditLog(dynamo, config.auditTable());
        this.clock = clock;
    }

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

    APIGatewayV2HTTPResponse put(String site, JsonNode body, AuditContext context) {
        Instant now = clock.instant();
        SiteProfile before = sites.get(site, true);
        SiteProfile profile = SiteProfile.parse(site, body, laterThan(before, now));
        sites.put(profile, now);
        // Devices are stamped with the new calendar version only when the calendar changed: processors caching the
        // old profile time devices the same way otherwise (SiteCalendars).
        int changed = devices.reevaluate(profile, profile.sameCalendar(before) ? before.updatedAt() : profile.updatedAt(),
                now);
        ObjectNode view = Views.site(profile, stats.devices(site, now), null);
        // The audit trail of the change (the people group's AuditLog port; idempotent per request id).
        audit.record(context.entry("site.put", "site", site, before == null ? null : profileOnly(before),
                profileOnly(profile)));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store",
                        "X-PiSync-Devices-Reevaluated", Integer.toString(changed)))
                .withBody(view.toString()).withIsBase64Encoded(false).build();
    }

    /**
     * {@code now}, or just after the stored profile's {@code updated_at} when the clock has not passed it: a profile's
     * updated_at is the calendar version devices are stamped with, so every change must get a newer one.
     */
    private static Instant laterThan(SiteProfile before, Instant now) {
        return before == null || before.updatedAt() == null || now.isAfter(before.updatedAt()) ? now
                : before.updatedAt().plusMillis(1);
    }

    private static ObjectNode profileOnly(SiteProfile p) {
        ObjectNode n = Views.site(p, new com.pisync.aws.stats.FleetStats.Devices(0, 0, 0, 0, 0), null);
        n.remove("devices");
        n.remove("open_incident");
        return n;
    }
}
