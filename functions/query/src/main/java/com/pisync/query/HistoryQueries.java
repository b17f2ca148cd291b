package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.ErrorLog;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.aws.views.Views;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sync history of one device, and failed syncs across the fleet. */
final class HistoryQueries {

    /** Items one history request may examine when filters skip many: bounds its cost. */
    static final int READ_BUDGET = 1000;
    static final Duration DEFAULT_ERRORS_WINDOW = Duration.ofDays(30);
    /** Empty months one errors request walks back before handing back a cursor. */
    private static final int MONTHS_PER_REQUEST = 3;

    private final SyncHistory history;
    private final ErrorLog errors;
    private final Lists lists;
    private final Clock clock;

    HistoryQueries(SyncHistory history, ErrorLog errors, Lists lists, Clock clock) {
        this.history = history;
        this.errors = errors;
        this.lists = lists;
        this.clock = clock;
    }

    /** Events newest first in device order, filtered by event time and outcome. */
    ObjectNode deviceHistory(APIGatewayV2HTTPEvent event, String deviceId) {
        QueryParams p = new QueryParams(event);
        Instant from = p.time("from");
        Instant to = p.time("to");
        String outcome = p.oneOf("outcome", Set.of("failed", "success"));
        Lists.Request request = lists.open(event, p);

        List<ObjectNode> items = new ArrayList<>();
        String lastExamined = request.at("after");
        int examined = 0;
        boolean more;
        while (true) {
            Page<SyncHistory.Entry> page = history.newestFirst(deviceId, lastExamined, request.limit() + 1);
            boolean full = false;
            for (SyncHistory.Entry entry : page.items()) {
                if (items.size() == request.limit()) {
                    full = true;
                    break;
                }
                examined++;
                lastExamined = entry.position();
                ReceivedSyncEvent e = entry.event();
                Instant t = e.event().timestamp();
                if ((from == null || !t.isBefore(from)) && (to == null || t.isBefore(to))
                        && (outcome == null || outcome.equals(e.event().outcome().wireName()))) {
                    items.add(Views.syncEvent(e, null, false));
                }
            }
            boolean exhausted = page.nextAfter() == null;
            if (full || (!exhausted && examined >= READ_BUDGET)) {
                more = true;
                break;
            }
            if (exhausted) {
                more = false;
                break;
            }
        }
        String next = more ? lists.next(request, Map.of("after", lastExamined)) : null;
        return Views.list(items, next);
    }

    /** Failed events of every device (or one site), newest first by event time. */
    ObjectNode errors(APIGatewayV2HTTPEvent event, com.pisync.aws.auth.Caller caller) {
        QueryParams p = new QueryParams(event);
        Instant now = clock.instant();
        Instant fromParam = p.time("from");
        Instant toParam = p.time("to");
        String site = p.string("site", 64);
        Lists.Request request = lists.open(event, p);
        if (site != null && !caller.canSee(site)) {
            return Views.list(List.of(), null); // another site's errors: none for this caller
        }
        // A user bound to sites reads their sites' partitions of the per-site index, merged newest first.
        List<String> scope = site != null ? List.of(site)
                : caller.siteBound() ? caller.sites().stream().sorted().toList() : null;
        if (scope != null && scope.isEmpty()) {
            return Views.list(List.of(), null);
        }
        Instant from = fromParam != null ? fromParam : now.minus(DEFAULT_ERRORS_WINDOW);
        // Device clocks may run up to a day ahead.
        Instant to = toParam != null ? toParam : now.plus(Duration.ofDays(1));
        if (!from.isBefore(to)) {
            return Views.list(List.of(), null);
        }
        YearMonth first = YearMonth.from(from.atZone(ZoneOffset.UTC));
        YearMonth month = request.position() == null ? YearMonth.from(to.atZone(ZoneOffset.UTC))
                : YearMonth.parse(request.at("month"));
        String after = request.at("after") == null || request.at("after").isEmpty() ? null : request.at("after");
        List<ObjectNode> items = new ArrayList<>();
        int walked = 0;
        while (true) {
            String m = month.toString();
            Page<SyncHistory.Entry> r = errors.failedNewestFirst(scope, month, from, to, after,
                    request.limit() - items.size());
            r.items().forEach(e -> items.add(Views.syncEvent(e.event(), e.site(), true)));
            if (r.nextAfter() != null) {
                return Views.list(items, lists.next(request, Map.of("month", m, "after", r.nextAfter())));
            }
            month = month.minusMonths(1);
            after = null;
            walked++;
            if (month.isBefore(first)) {
                return Views.list(items, null);
            }
            if (items.size() == request.limit() || walked == MONTHS_PER_REQUEST) {
                return Views.list(items, lists.next(request, Map.of("month", month.toString(), "after", "")));
            }
        }
    }
}
