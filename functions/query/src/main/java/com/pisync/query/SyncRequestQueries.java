package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.SyncRequestItems;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.views.Views;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A device's sync requests, newest first, with their status as of now. */
final class SyncRequestQueries {

    private final IndexPager pager;
    private final String table;
    private final Lists lists;
    private final Clock clock;

    SyncRequestQueries(IndexPager pager, String table, Lists lists, Clock clock) {
        this.pager = pager;
        this.table = table;
        this.lists = lists;
        this.clock = clock;
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, String deviceId) {
        Lists.Request request = lists.open(event, new QueryParams(event));
        String after = request.at("after");
        // Request ids only: the device's credential item shares the partition.
        IndexPager.Result r = pager.page(IndexPager.range(IndexPager.query(table, null, SyncRequestItems.DEVICE_ID,
                List.of(deviceId), SyncRequestItems.REQUEST_ID, true), "req_", "req_" + IndexPager.MAX),
                after == null || after.isEmpty() ? null : after, request.limit());
        Instant now = clock.instant();
        List<ObjectNode> items = r.items().stream()
                .map(i -> Views.syncRequest(SyncRequestItems.fromItem(i), now)).toList();
        return Views.list(items, r.nextAfter() == null ? null : lists.next(request, Map.of("after", r.nextAfter())));
    }
}
