package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.IncidentLog;
import com.pisync.aws.ports.Page;
import com.pisync.aws.views.IncidentView;
import com.pisync.aws.views.Views;
import com.pisync.domain.Incident;
import com.pisync.domain.SiteProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Site incidents (contract v1.1), newest first, by state or site: each page reads one page of an index
 * ({@code all_incidents}, {@code by_state} or {@code by_site}), whatever the number of incidents.
 */
final class IncidentQueries implements SiteQueries.OpenIncidents {

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("inc_[0-9a-f]{24}");

    private final IncidentLog incidents;
    private final Lists lists;

    IncidentQueries(IncidentLog incidents, Lists lists) {
        this.incidents = incidents;
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
        String after = request.at("after");
        Page<Incident> r = incidents.newestFirst(state, scope, after == null || after.isEmpty() ? null : after,
                request.limit());
        List<ObjectNode> items = r.items().stream().map(IncidentView::of).toList();
        return Views.list(items, r.nextAfter() == null ? null : lists.next(request, Map.of("after", r.nextAfter())));
    }

    ObjectNode get(APIGatewayV2HTTPEvent event, Caller caller) {
        Map<String, String> path = event.getPathParameters();
        String id = path == null ? null : path.get("incident_id");
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiProblem.notFound("No incident '" + id + "'.");
        }
        Incident incident = incidents.get(id);
        if (incident == null || !caller.canSee(incident.site())) {
            throw ApiProblem.notFound("No incident '" + id + "'."); // another site's: as if unknown
        }
        return IncidentView.withDevices(incident, incidents.devices(id));
    }

    @Override
    public JsonNode openIncident(String site) {
        String id = incidents.openIncidentId(site);
        Incident i = id == null ? null : incidents.get(id);
        return i == null || !i.isOpen() ? null : IncidentView.of(i);
    }
}
