package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncRequestLog;
import com.pisync.aws.views.Views;
import com.pisync.domain.SyncRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A device's sync requests, newest first, with their status as of now. */
final class SyncRequestQueries {

    private final SyncRequestLog requests;
    private final Lists lists;
    private final Clock clock;

    SyncRequestQueries(SyncRequestLog requests, Lists lists, Clock clock) {
        this.requests = requests;
        this.lists = lists;
        this.clock = clock;
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, String deviceId) {
        Lists.Request request = lists.open(event, new QueryParams(event));
        String after = request.at("after");
        Page<SyncRequest> r = requests.newestFirst(deviceId, after == null || after.isEmpty() ? null : after,
                request.limit());
        Instant now = clock.instant();
        List<ObjectNode> items = r.items().stream().map(s -> Views.syncRequest(s, now)).toList();
        return Views.list(items, r.nextAfter() == null ? null : lists.next(request, Map.of("after", r.nextAfter())));
    }
}
