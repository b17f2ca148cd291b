package com.pisync.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.dynamodb.DeviceIndexes;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.SiteCalendars;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.stats.FleetStatsStore;
import com.pisync.aws.views.Views;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FieldError;
import com.pisync.domain.SiteProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code PUT /v1/sites/{site}} (contract v1.1): validates and stores the profile, then re-evaluates the
 * site's devices (and only them, a page of the {@code by_site} index at a time): each one's
 * {@code offline_at} from its {@code last_seen_at} under the new calendar, and its status when that turns
 * it offline or back to healthy. Each device write is version-guarded like every other device write; a
 * repeated PUT finds nothing to change.
 */
final class SiteAdmin {

    private static final int PAGE = 100;
    private static final int ATTEMPTS = 5;
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "site-reevaluation");
        t.setDaemon(true);
        return t;
    });

    private final SiteStore sites;
    private final SiteCalendars calendars;
    private final DeviceRegistry registry;
    private final DeviceStore devices;
    private final IndexPager pager;
    private final FleetStatsStore stats;
    private final DynamoAuditLog audit;
    private final String devicesTable;
    private final int failureThreshold;
    private final Clock clock;

    SiteAdmin(DynamoDbClient dynamo, PiSyncConfig config, Clock clock) {
        this.sites = new SiteStore(dynamo, config.sitesTable());
        this.calendars = new SiteCalendars(sites, config.offlineWindow());
        this.registry = new DeviceRegistry(dynamo, config.devicesTable());
        this.devices = new DeviceStore(dynamo, config.devicesTable());
        this.pager = new IndexPager(dynamo, WORKERS);
        this.stats = new FleetStatsStore(dynamo, config.statsTable());
        this.audit = new DynamoAuditLog(dynamo, config.auditTable());
        this.devicesTable = config.devicesTable();
        this.failureThreshold = config.failureThreshold();
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
        int changed = reevaluate(profile, profile.sameCalendar(before) ? before.updatedAt() : profile.updatedAt(), now);
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

    /**
     * @param calendar the calendar version to stamp on the devices (calendar_at)
     * @return how many devices got a new offline time or status
     */
    int reevaluate(SiteProfile profile, Instant calendar, Instant now) {
        IndexPager.Query bySite = IndexPager.query(devicesTable, DeviceIndexes.BY_SITE, DeviceItems.SITE,
                List.of(profile.site()), DeviceItems.DEVICE_ID, false);
        String after = null;
        int changed = 0;
        do {
            IndexPager.Result page = pager.page(bySite, after, PAGE);
            List<String> ids = page.items().stream().map(i -> i.get(DeviceItems.DEVICE_ID).s()).toList();
            Map<String, Map<String, AttributeValue>> items = registry.getAll(ids);
            for (String id : ids) {
                Map<String, AttributeValue> item = items.get(id);
                if (item != null && reevaluate(DeviceItems.fromItem(id, item), profile, calendar, now)) {
                    changed++;
                }
            }
            after = page.nextAfter();
        } while (after != null);
        return changed;
    }

    /** @return true when the device got a new offline time or status (a new stamp alone does not count) */
    private boolean reevaluate(DeviceRecord record, SiteProfile profile, Instant calendar, Instant now) {
        for (int attempt = 1; ; attempt++) {
            if (!record.exists() || record.decommissioned() || record.state().lastSeenAt() == null
                    || !Objects.equals(record.site(), profile.site())) {
                return false; // nothing to time, or moved to another site since the index was read
            }
            Instant offlineAt = calendars.offlineAt(profile, record.state().lastSeenAt());
            DeviceStatus status = DeviceStatus.of(false, record.state(), failureThreshold, offlineAt, now);
            boolean moved = !Objects.equals(offlineAt, record.offlineAt()) || !status.wireName().equals(record.storedStatus());
            if (!moved && Objects.equals(calendar, record.calendarAt())) {
                return false;
            }
            // Stamped with the calendar's version even when the time did not move: processors holding an older
            // cached profile then read the new one before their next commit of this device (SiteCalendars).
            if (devices.updateStatus(record, status,
                    new com.pisync.aws.dynamodb.DeviceRegistry.OfflineTime(offlineAt, calendar))) {
                return moved;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("device " + record.state().deviceId() + " kept changing; retry");
            }
            record = devices.load(record.state().deviceId());
        }
    }
}
