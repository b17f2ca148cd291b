package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.dynamodb.FailureRankIndex;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.views.Views;
import com.pisync.domain.Device;
import com.pisync.domain.FailureDays;
import com.pisync.domain.FailureRanking;
import com.pisync.domain.FieldError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/devices/repeated-failures}: devices with at least {@code min_failures} failed syncs on or after
 * the UTC day of {@code since}, most first, read from the failure ranking (FailureRanking over FailureRankIndex)
 * and then the page's devices in one BatchGetItem. The cursor carries the last device given out and the
 * window's day, so a default window does not move under a caller paging across midnight.
 */
final class RepeatedFailuresQuery {

    static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    static final Duration MAX_WINDOW = Duration.ofDays(30);

    private final FailureRankIndex ranking;
    private final DeviceDirectory devices;
    private final Lists lists;
    private final Views.StatusPolicy policy;
    private final Clock clock;

    RepeatedFailuresQuery(FailureRankIndex ranking, DeviceDirectory devices, Lists lists, Views.StatusPolicy policy,
            Clock clock) {
        this.ranking = ranking;
        this.devices = devices;
        this.lists = lists;
        this.policy = policy;
        this.clock = clock;
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, Caller caller) {
        QueryParams p = new QueryParams(event);
        Instant now = clock.instant();
        int min = p.integer("min_failures", 3, 1, 1000);
        Instant since = p.time("since");
        if (since != null && since.isBefore(now.minus(MAX_WINDOW))) {
            p.error("since", "must be within the last 30 days");
        }
        Lists.Request request = lists.open(event, p);
        String sinceDay = FailureDays.day(since == null ? now.minus(DEFAULT_WINDOW) : since);
        FailureRanking.Position after = null;
        if (request.position() != null) {
            after = position(request);
            sinceDay = request.at("since");
        }

        FailureRanking.Page page = FailureRanking.page(ranking.from(min), sinceDay, min, after, request.limit());
        List<String> ids = page.items().stream().map(FailureRanking.Ranked::deviceId).toList();
        Map<String, Device> found = devices.get(ids);
        List<ObjectNode> out = new ArrayList<>();
        for (FailureRanking.Ranked r : page.items()) {
            Device d = found.get(r.deviceId());
            if (d == null) {
                continue;
            }
            ObjectNode device = Views.device(d, policy, now);
            if (!caller.canSee(device.path("site").asText(null))) {
                continue; // another site's device: the page may come back short
            }
            ObjectNode n = HttpApi.JSON.createObjectNode();
            n.put("device_id", r.deviceId());
            n.set("name", device.get("name"));
            n.set("site", device.get("site"));
            n.put("failed_syncs", r.failures());
            n.set("last_failure_at", device.get("last_failure_at"));
            n.set("consecutive_failures", device.get("consecutive_failures"));
            n.set("last_error", device.get("last_error"));
            out.add(n);
        }
        String next = null;
        if (page.more()) {
            FailureRanking.Ranked last = page.items().get(page.items().size() - 1);
            next = lists.next(request, Map.of("failures", Integer.toString(last.failures()), "device", last.deviceId(),
                    "since", sinceDay));
        }
        return Views.list(out, next);
    }

    /** The last device a signed cursor gave out (a cursor of the former layout is refused). */
    private static FailureRanking.Position position(Lists.Request request) {
        String failures = request.at("failures");
        String device = request.at("device");
        String since = request.at("since");
        if (failures == null || device == null || since == null || !failures.matches("[0-9]{1,9}")
                || !since.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw ApiProblem.badRequest("The cursor is not valid for this list; start again without it.",
                    List.of(new FieldError("cursor", "is not a repeated-failures position")));
        }
        return new FailureRanking.Position(Integer.parseInt(failures), device);
    }
}
