package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.dynamodb.IncidentStore;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.views.IncidentView;
import com.pisync.aws.views.Views;
import com.pisync.domain.Incident;
import com.pisync.domain.SiteProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Site incidents (contract v1.1), newest first, by state or site: each page reads one page of an index
 * ({@code all_incidents}, {@code by_state} or {@code by_site}), whatever the number of incidents.
 */
final class IncidentQueries implements SiteQueries.OpenIncidents {

    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("inc_[0-9a-f]{24}");

    private final IncidentStore store;
    private final IndexPager pager;
    private final Lists lists;

    IncidentQueries(IncidentStore store, IndexPager pager, Lists lists) {
        this.store = store;
        this.pager = pager;
        this.lists = lists;
    }

    ObjectNode list(APIGatewayV2HTTPEvent event, Caller caller) {
        QueryParams p = new QueryParams(event);
        String state = p.oneOf("state", Set.of("open", "resolved"));
        String site = p.string("site", SiteProfile.MAX_SITE_LENGTH);
        Lists.Request request = lists.open(event, p);
        if (site != null && !caller.canSee(site)) {
            return Views.list(List.of(), null); // another site's incidents: none for this caller
        }
        List<String> scope = site != null ? List.of(site)
                : caller.siteBound() ? caller.sites().stream().sorted().toList() : null;
        if (scope != null && scope.isEmpty()) {
            return Views.list(List.of(), null);
        }
        String table = store.table();
        IndexPager.Query q;
        if (scope != null) {
            q = IndexPager.query(table, IncidentStore.BY_SITE, IncidentStore.SITE, scope, IncidentStore.OPENED_KEY, true);
            if (state != null) {
                q = q.withFilter("#fst = :fst", Map.of("#fst", IncidentStore.STATE),
                        Map.of(":fst", AttributeValue.fromS(state)));
            }
        } else if (state != null) {
            q = IndexPager.query(table, IncidentStore.BY_STATE, IncidentStore.STATE_SHARD,
                    SHARDS.stream().map(s -> state + "#" + s).toList(), IncidentStore.OPENED_KEY, true);
        } else {
            q = IndexPager.query(table, IncidentStore.ALL_INCIDENTS, IncidentStore.ALL_SHARD, SHARDS,
                    IncidentStore.OPENED_KEY, true);
        }
        String after = request.at("after");
        IndexPager.Result r = pager.page(q, after == null || after.isEmpty() ? null : after, request.limit());
        List<ObjectNode> items = r.items().stream().filter(IncidentStore::isIncident)
                .map(i -> IncidentView.of(IncidentStore.fromItem(i))).toList();
        return Views.list(items, r.nextAfter() == null ? null : lists.next(request, Map.of("after", r.nextAfter())));
    }

    ObjectNode get(APIGatewayV2HTTPEvent event, Caller caller) {
        Map<String, String> path = event.getPathParameters();
        String id = path == null ? null : path.get("incident_id");
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiProblem.notFound("No incident '" + id + "'.");
        }
        IncidentStore.Stored stored = store.get(id, false);
        if (stored == null || !caller.canSee(stored.incident().site())) {
            throw ApiProblem.notFound("No incident '" + id + "'."); // another site's: as if unknown
        }
        return IncidentView.withDevices(stored.incident(), store.devices(id));
    }

    @Override
    public JsonNode openIncident(String site) {
        String id = store.openIncidentId(site);
        IncidentStore.Stored stored = id == null ? null : store.get(id, false);
        Incident i = stored == null ? null : stored.incident();
        return i == null || !i.isOpen() ? null : IncidentView.of(i);
    }
}
