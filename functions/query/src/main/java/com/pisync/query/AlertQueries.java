package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.AlertLog;
import com.pisync.aws.ports.Page;
import com.pisync.aws.views.Views;
import com.pisync.domain.Alert;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Alerts, newest first, by state, device or site. */
final class AlertQueries {

    private final AlertLog alerts;
    private final Lists lists;

    AlertQueries(AlertLog alerts, Lists lists) {
        this.alerts = alerts;
        this.lists = lists;
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, com.pisync.aws.auth.Caller caller) {
        QueryParams p = new QueryParams(event);
        String state = p.oneOf("state", Set.of("open", "resolved"));
        String deviceId = p.string("device_id", 64);
        String site = p.string("site", 64);
        Lists.Request request = lists.open(event, p);
        if (site != null && !caller.canSee(site)) {
            return Views.list(List.of(), null); // another site's alerts: none for this caller
        }
        // A user bound to sites reads their sites' alerts only (a device's alerts: its site's).
        List<String> scope = site != null ? List.of(site)
                : caller.siteBound() ? caller.sites().stream().sorted().toList() : null;
        if (scope != null && scope.isEmpty()) {
            return Views.list(List.of(), null);
        }
        String after = request.at("after");
        Page<Alert> r = alerts.newestFirst(new AlertLog.Filter(state, deviceId, scope),
                after == null || after.isEmpty() ? null : after, request.limit());
        List<ObjectNode> items = r.items().stream().map(Views::alert).toList();
        return Views.list(items, r.nextAfter() == null ? null : lists.next(request, Map.of("after", r.nextAfter())));
    }
}
