package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
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

/**
 * Device reads: one device, the device list with its filters, failing devices. A list page reads
 * index keys (one query per shard, at most a page each) and then the page's devices in one
 * BatchGetItem: the same cost at 50 devices and at 10 million.
 */
final class DeviceQueries {

    static final Set<String> STATUSES = Arrays.stream(DeviceStatus.values()).map(DeviceStatus::wireName)
            .collect(Collectors.toSet());

    private final DeviceDirectory directory;
    private final Lists lists;
    private final Views.StatusPolicy policy;
    private final Clock clock;

    DeviceQueries(DeviceDirectory directory, Lists lists, Views.StatusPolicy policy, Clock clock) {
        this.directory = directory;
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
