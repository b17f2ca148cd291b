package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.http.Cursors;
import com.pisync.aws.views.Views;
import com.pisync.memory.MemoryAlertLog;
import com.pisync.memory.MemoryDevices;
import com.pisync.memory.MemoryFleetCounters;
import com.pisync.memory.MemoryIncidentLog;
import com.pisync.memory.MemorySites;
import com.pisync.memory.MemorySyncHistory;
import com.pisync.memory.MemorySyncRequestLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The query function's logic over in-memory ports: no engine, no network. */
final class QueryFixture {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Caller VIEWER = new Caller("viewer", Set.of(Caller.VIEWER));

    final MemoryDevices devices = new MemoryDevices();
    final MemorySyncHistory history = new MemorySyncHistory();
    final MemoryAlertLog alerts = new MemoryAlertLog();
    final MemoryIncidentLog incidents = new MemoryIncidentLog();
    final MemorySites sites = new MemorySites();
    final MemoryFleetCounters counters = new MemoryFleetCounters();
    final MemorySyncRequestLog syncRequests = new MemorySyncRequestLog();
    final Lists lists = new Lists(new Cursors("unit-test-signing-key-unit-test-".getBytes(StandardCharsets.UTF_8)));
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Views.StatusPolicy policy = new Views.StatusPolicy(3, Duration.ofHours(24));

    DeviceQueries deviceQueries() {
        return new DeviceQueries(devices, lists, policy, clock);
    }

    HistoryQueries historyQueries() {
        return new HistoryQueries(history, history, lists, clock);
    }

    SyncRequestQueries syncRequestQueries() {
        return new SyncRequestQueries(syncRequests, lists, clock);
    }

    AlertQueries alertQueries() {
        return new AlertQueries(alerts, lists);
    }

    IncidentQueries incidentQueries() {
        return new IncidentQueries(incidents, lists);
    }

    SiteQueries siteQueries() {
        return new SiteQueries(sites, devices, counters, incidentQueries(), lists, policy, clock);
    }

    static Caller boundTo(String... sites) {
        Set<String> groups = new java.util.HashSet<>(Set.of(Caller.VIEWER));
        for (String s : sites) {
            groups.add(Caller.siteGroup(s));
        }
        return new Caller("bound", groups);
    }

    static APIGatewayV2HTTPEvent get(String route, Map<String, String> query) {
        return get(route, Map.of(), query);
    }

    static APIGatewayV2HTTPEvent get(String route, Map<String, String> path, Map<String, String> query) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRouteKey(route);
        e.setPathParameters(path.isEmpty() ? null : path);
        e.setQueryStringParameters(query.isEmpty() ? null : new HashMap<>(query));
        return e;
    }

    static Map<String, String> with(Map<String, String> query, String key, String value) {
        Map<String, String> q = new HashMap<>(query);
        q.put(key, value);
        return q;
    }

    /** Every page of a list, following next_cursor; the ids (by {@code idField}) in the order served. */
    static List<String> all(Function<APIGatewayV2HTTPEvent, JsonNode> read, String route, Map<String, String> query,
            String idField) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = read.apply(get(route, cursor == null ? query : with(query, "cursor", cursor)));
            page.get("items").forEach(i -> out.add(i.get(idField).asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            if (++pages > 1000) {
                throw new AssertionError("the cursor never ends");
            }
        } while (cursor != null);
        return out;
    }

    static List<String> ids(JsonNode page, String idField) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get(idField).asText()));
        return out;
    }
}
