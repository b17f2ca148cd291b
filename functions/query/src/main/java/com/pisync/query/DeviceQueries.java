package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.dynamodb.DeviceIndexes;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceReadModel;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.Page;
import com.pisync.aws.views.Views;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Device reads: one device, the device list with its filters, failing devices. A list page reads
 * index keys (one query per shard, at most a page each) and then the page's devices in one
 * BatchGetItem: the same cost at 50 devices and at 10 million.
 */
final class DeviceQueries {

    static final Set<String> STATUSES = Arrays.stream(DeviceStatus.values()).map(DeviceStatus::wireName)
            .collect(Collectors.toSet());
    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final DeviceDirectory directory;
    /** Only for {@link #repeatedFailures}, which reads the recent-failures index itself (being replaced). */
    private final DeviceRegistry registry;
    private final IndexPager pager;
    private final String table;
    private final Lists lists;
    private final Views.StatusPolicy policy;
    private final Clock clock;

    DeviceQueries(DeviceDirectory directory, Lists lists, Views.StatusPolicy policy, Clock clock) {
        this(directory, null, null, null, lists, policy, clock);
    }

    DeviceQueries(DeviceDirectory directory, DeviceRegistry registry, IndexPager pager, String table, Lists lists,
            Views.StatusPolicy policy, Clock clock) {
        this.directory = directory;
        this.registry = registry;
        this.pager = pager;
        this.table = table;
        this.lists = lists;
        this.policy = policy;
        this.clock = clock;
    }

    /** The device, or 404 when there is none or it belongs to a site the caller is not bound to. */
    Device require(String deviceId, Caller caller) {
        Device device = deviceId == null ? null : directory.get(deviceId);
        if (device == null || !caller.canSee(device.site())) {
            throw ApiProblem.notFound("No device '" + deviceId + "'.");
        }
        return device;
    }

    ObjectNode get(String deviceId, Caller caller) {
        return Views.device(require(deviceId, caller), policy, clock.instant());
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, Caller caller) {
        QueryParams p = new QueryParams(event);
        String status = p.oneOf("status", STATUSES);
        String site = p.string("site", 64);
        String type = p.string("type", 32);
        String q = p.string("q", 64);
        Lists.Request request = lists.open(event, p);
        if (site != null && !caller.canSee(site)) {
            return Views.list(List.of(), null); // another site's devices: none for this caller
        }
        // A user bound to sites lists their sites' partitions of the site indexes, merged in id order.
        List<String> scope = site != null ? List.of(site)
                : caller.siteBound() ? caller.sites().stream().sorted().toList() : null;

        String phase = request.position() == null ? "id" : request.at("phase");
        String after = request.at("after") == null || request.at("after").isEmpty() ? null : request.at("after");
        if (q != null) {
            // Devices whose id starts with q, then those whose name does (case-insensitive).
            List<String> ids = new ArrayList<>();
            String nextPhase = null;
            String nextAfter = null;
            if ("id".equals(phase)) {
                Page<String> r = directory.idsStartingWith(q, after, request.limit());
                ids.addAll(r.items());
                if (r.nextAfter() != null) {
                    nextPhase = "id";
                    nextAfter = r.nextAfter();
                } else {
                    phase = "name";
                    after = null;
                }
            }
            if ("name".equals(phase) && nextPhase == null) {
                int room = request.limit() - ids.size();
                if (room == 0) {
                    nextPhase = "name";
                } else {
                    Page<String> r = directory.namesStartingWith(q.toLowerCase(Locale.ROOT), after, room);
                    r.items().stream().filter(id -> !id.startsWith(q)).forEach(ids::add);
                    if (r.nextAfter() != null) {
                        nextPhase = "name";
                        nextAfter = r.nextAfter();
                    }
                }
            }
            return list(request, visible(render(ids, status, site, type), caller), nextPhase, nextAfter);
        }
        if (scope != null && scope.isEmpty()) {
            return Views.list(List.of(), null); // bound to sites none of which can be named
        }
        Page<String> r = directory.page(new DeviceDirectory.Filter(scope, status, type), after, request.limit());
        return list(request, render(r.items(), status, null, null), r.nextAfter() == null ? null : "id",
                r.nextAfter());
    }

    /** Failing devices, longest current streak first. */
    ObjectNode failing(APIGatewayV2HTTPEvent event, Caller caller) {
        QueryParams p = new QueryParams(event);
        Lists.Request request = lists.open(event, p);
        String after = request.at("after");
        Page<String> r = directory.failing(after == null || after.isEmpty() ? null : after, request.limit());
        // A site-bound caller's page keeps only their sites' devices (it may come back short, with a cursor).
        List<ObjectNode> items = visible(render(r.items(), DeviceStatus.FAILING.wireName(), null, null), caller);
        return list(request, items, r.nextAfter() == null ? null : "id", r.nextAfter());
    }

    static final java.time.Duration REPEATED_DEFAULT_WINDOW = java.time.Duration.ofDays(7);
    static final java.time.Duration REPEATED_MAX_WINDOW = java.time.Duration.ofDays(30);
    /** Candidates one repeated-failures request may rank; beyond this, narrow the window. */
    static final int REPEATED_MAX_CANDIDATES = 50_000;

    /**
     * Devices with at least {@code min_failures} failed syncs since {@code since} (UTC-day granularity),
     * most failures first. Candidates come from the recent-failures index (devices with a failure on or
     * after that day) with their per-day counts; devices that never fail cost nothing.
     */
    ObjectNode repeatedFailures(APIGatewayV2HTTPEvent event, Caller caller) {
        QueryParams p = new QueryParams(event);
        Instant now = clock.instant();
        int min = p.integer("min_failures", 3, 1, 1000);
        Instant since = p.time("since");
        if (since != null && since.isBefore(now.minus(REPEATED_MAX_WINDOW))) {
            p.error("since", "must be within the last 30 days");
        }
        Lists.Request request = lists.open(event, p);
        String sinceDay = (since == null ? now.minus(REPEATED_DEFAULT_WINDOW) : since).toString().substring(0, 10);

        List<Map.Entry<String, Integer>> ranked = new ArrayList<>();
        IndexPager.Query candidates = IndexPager.range(IndexPager.query(table, DeviceIndexes.RECENT_FAILURES,
                DeviceIndexes.RF_SHARD, SHARDS, DeviceIndexes.RF_KEY, false), sinceDay, IndexPager.MAX);
        String after = null;
        int seen = 0;
        do {
            IndexPager.Result r = pager.page(candidates, after, 1000);
            for (Map<String, AttributeValue> c : r.items()) {
                int count = 0;
                AttributeValue days = c.get(DeviceItems.FAILURE_DAYS);
                if (days != null && days.hasM()) {
                    for (Map.Entry<String, AttributeValue> d : days.m().entrySet()) {
                        if (d.getKey().compareTo(sinceDay) >= 0) {
                            count += Integer.parseInt(d.getValue().n());
                        }
                    }
                }
                if (count >= min) {
                    ranked.add(Map.entry(c.get(DeviceItems.DEVICE_ID).s(), count));
                }
            }
            seen += r.items().size();
            after = r.nextAfter();
            if (seen > REPEATED_MAX_CANDIDATES) {
                throw new ApiProblem(422, "/problems/window-too-large", "Too many devices failed in this window",
                        "More than " + REPEATED_MAX_CANDIDATES + " devices failed since " + sinceDay
                                + "; choose a later 'since' or a higher 'min_failures'.",
                        List.of(new com.pisync.domain.FieldError("since", "covers too many failing devices")));
            }
        } while (after != null);
        ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry::getKey));

        String position = request.at("after");
        int start = 0;
        if (position != null) {
            while (start < ranked.size() && rank(ranked.get(start)).compareTo(position) <= 0) {
                start++;
            }
        }
        List<Map.Entry<String, Integer>> page = ranked.subList(start, Math.min(ranked.size(), start + request.limit()));
        Map<String, Map<String, AttributeValue>> items = registry.getAll(page.stream().map(Map.Entry::getKey).toList());
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : page) {
            Map<String, AttributeValue> item = items.get(e.getKey());
            if (item == null) {
                continue;
            }
            ObjectNode device = Views.device(DeviceReadModel.fromItem(item), policy, now);
            if (!caller.canSee(device.path("site").asText(null))) {
                continue; // another site's device: the page may come back short
            }
            ObjectNode n = com.pisync.aws.http.HttpApi.JSON.createObjectNode();
            n.put("device_id", e.getKey());
            n.set("name", device.get("name"));
            n.set("site", device.get("site"));
            n.put("failed_syncs", e.getValue());
            n.set("last_failure_at", device.get("last_failure_at"));
            n.set("consecutive_failures", device.get("consecutive_failures"));
            n.set("last_error", device.get("last_error"));
            out.add(n);
        }
        boolean more = start + request.limit() < ranked.size();
        return Views.list(out, more ? lists.next(request, Map.of("after", rank(page.get(page.size() - 1)))) : null);
    }

    /** Sorts as the ranking does: more failures first, then device id. */
    private static String rank(Map.Entry<String, Integer> e) {
        return String.format(Locale.ROOT, "%010d#%s", 1_000_000_000 - e.getValue(), e.getKey());
    }

    private ObjectNode list(Lists.Request request, List<ObjectNode> items, String phase, String after) {
        String next = phase == null ? null : lists.next(request, Map.of("phase", phase, "after", after == null ? "" : after));
        return Views.list(items, next);
    }

    /** The devices of {@code items} the caller may see. */
    static List<ObjectNode> visible(List<ObjectNode> items, Caller caller) {
        if (!caller.siteBound()) {
            return items;
        }
        return items.stream().filter(d -> caller.canSee(d.path("site").asText(null))).toList();
    }

    /**
     * The devices in page order. Filters are checked again on the device itself: a status computed on
     * read (a device gone quiet is offline before the sweep records it) may no longer match.
     */
    private List<ObjectNode> render(List<String> ids, String status, String site, String type) {
        Map<String, Device> devices = directory.get(ids);
        Instant now = clock.instant();
        List<ObjectNode> out = new ArrayList<>();
        for (String id : ids) {
            Device device = devices.get(id);
            if (device == null) {
                continue;
            }
            ObjectNode d = Views.device(device, policy, now);
            if ((status == null || status.equals(d.path("status").asText()))
                    && (site == null || site.equals(d.path("site").asText(null)))
                    && (type == null || type.equals(d.path("type").asText(null)))) {
                out.add(d);
            }
        }
        return out;
    }
}
