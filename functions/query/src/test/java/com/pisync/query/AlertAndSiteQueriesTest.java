package com.pisync.query;

import static com.pisync.memory.DeviceBuilder.device;
import static com.pisync.query.QueryFixture.NOW;
import static com.pisync.query.QueryFixture.VIEWER;
import static com.pisync.query.QueryFixture.all;
import static com.pisync.query.QueryFixture.boundTo;
import static com.pisync.query.QueryFixture.get;
import static com.pisync.query.QueryFixture.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.stats.FleetStats;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.Incident;
import com.pisync.domain.SiteProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alerts, incidents, sites and devices at risk, against in-memory ports. */
class AlertAndSiteQueriesTest {

    private final QueryFixture f = new QueryFixture();

    private static Alert alert(String id, String device, String site, AlertState state, Instant opened) {
        return new Alert(id, device, site, state, 3, opened.minusSeconds(60), opened,
                state == AlertState.RESOLVED ? opened.plusSeconds(60) : null, "disk full", null);
    }

    @Test
    void alertsComeNewestOpenedFirstFilteredByStateDeviceAndSite() {
        f.alerts.put(alert("al-1", "d-1", "north", AlertState.RESOLVED, NOW.minusSeconds(300)))
                .put(alert("al-2", "d-2", "south", AlertState.OPEN, NOW.minusSeconds(200)))
                .put(alert("al-3", "d-1", "north", AlertState.OPEN, NOW.minusSeconds(100)));
        AlertQueries q = f.alertQueries();

        assertEquals(List.of("al-3", "al-2", "al-1"), all(e -> q.list(e, VIEWER), "GET /v1/alerts",
                Map.of("limit", "1"), "alert_id"));
        assertEquals(List.of("al-3", "al-2"), ids(q.list(get("GET /v1/alerts", Map.of("state", "open")), VIEWER),
                "alert_id"));
        assertEquals(List.of("al-3", "al-1"), ids(q.list(get("GET /v1/alerts", Map.of("device_id", "d-1")), VIEWER),
                "alert_id"));
        assertEquals(List.of(), ids(q.list(get("GET /v1/alerts", Map.of("device_id", "d-1")), boundTo("south")),
                "alert_id"));
        assertEquals(List.of("al-2"), ids(q.list(get("GET /v1/alerts", Map.of()), boundTo("south")), "alert_id"));
    }

    @Test
    void incidentsListNewestFirstAndAnotherSitesIncidentIsNotFound() {
        Incident older = new Incident("inc_" + "0".repeat(23) + "1", "north", AlertState.RESOLVED,
                NOW.minusSeconds(900), NOW.minusSeconds(300), 4, 0, 5);
        Incident newer = new Incident("inc_" + "0".repeat(23) + "2", "south", AlertState.OPEN,
                NOW.minusSeconds(100), null, 6, 6, 6);
        f.incidents.put(older, List.of("d-1")).put(newer, List.of("d-2", "d-3"));
        IncidentQueries q = f.incidentQueries();

        assertEquals(List.of(newer.incidentId(), older.incidentId()),
                ids(q.list(get("GET /v1/incidents", Map.of()), VIEWER), "incident_id"));
        assertEquals(List.of(newer.incidentId()),
                ids(q.list(get("GET /v1/incidents", Map.of("state", "open")), VIEWER), "incident_id"));
        var byId = get("GET /v1/incidents/{incident_id}", Map.of("incident_id", newer.incidentId()), Map.of());
        assertEquals(2, q.get(byId, VIEWER).get("devices").size());
        assertEquals(404, assertThrows(ApiProblem.class, () -> q.get(byId, boundTo("north"))).status());
    }

    @Test
    void aSiteShowsItsCountersAndOpenIncidentAndASiteOnlyNamedByADeviceHasTheDefaults() {
        f.sites.put(SiteProfile.defaults("north"));
        f.counters.put("north", new FleetStats.Devices(5, 2, 1, 0, 0));
        f.incidents.put(new Incident("inc_" + "0".repeat(23) + "3", "north", AlertState.OPEN, NOW.minusSeconds(60),
                null, 3, 3, 3), List.of());
        f.devices.put(device("d-9").site("east").build());
        SiteQueries q = f.siteQueries();

        JsonNode north = q.get("north");
        assertEquals(8, north.get("devices").get("total").asInt());
        assertEquals("north", north.get("open_incident").get("site").asText());
        assertEquals("east", q.get("east").get("site").asText());
        assertEquals(404, assertThrows(ApiProblem.class, () -> q.get("west")).status());
    }

    @Test
    void devicesAtRiskComeOldestFirstThenMorePendingFilesAndMinHoursCuts() {
        f.devices.put(device("r-new").pending(3, NOW.minus(Duration.ofHours(2))).build())
                .put(device("r-old").pending(1, NOW.minus(Duration.ofHours(50))).build())
                .put(device("r-old-more").pending(9, NOW.minus(Duration.ofHours(50))).build())
                .put(device("r-none").build())
                .put(device("r-gone").pending(5, NOW.minus(Duration.ofHours(90))).decommissionedAt(NOW).build());
        SiteQueries q = f.siteQueries();

        assertEquals(List.of("r-old-more", "r-old", "r-new"), all(e -> q.atRisk(e, VIEWER), "GET /v1/devices/at-risk",
                Map.of("limit", "2"), "device_id"));
        assertEquals(List.of("r-old-more", "r-old"), ids(q.atRisk(get("GET /v1/devices/at-risk",
                Map.of("min_hours", "24")), VIEWER), "device_id"));
    }
}
