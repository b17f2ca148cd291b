package com.pisync.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.http.Cursors;
import com.pisync.local.LocalPiSync;
import com.pisync.query.QueryHandler;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's read routes under fuzzed routes, path parameters, query strings and callers, on
 * the real {@link QueryHandler} over the local DynamoDB engine with a small fleet in it (devices healthy,
 * failing with an open alert, never synced; history, errors, a sync request).
 *
 * <p>On every input: no exception escapes, never a 5xx, every 4xx a problem naming field and reason
 * without internals; not one DynamoDB write (the function is read-only); a list answers
 * {@code items} and {@code next_cursor}, and a {@code next_cursor} is accepted by the query that
 * issued it.
 */
class QueryFuzzTest {

    static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] CURSOR_KEY = "fuzz-cursor-signing-key-0123456789".getBytes(StandardCharsets.UTF_8);

    private static final String[] ROUTES = {
        "GET /v1/devices", "GET /v1/devices/failing", "GET /v1/devices/repeated-failures",
        "GET /v1/devices/{device_id}", "GET /v1/devices/{device_id}/sync-events",
        "GET /v1/devices/{device_id}/sync-requests", "GET /v1/sync-errors", "GET /v1/sync-events/export",
        "GET /v1/alerts", "GET /v1/stats/fleet", "GET /v1/nothing", "POST /v1/devices",
    };
    private static final String[] PARAMS = {"limit", "cursor", "status", "site", "type", "q", "since", "from", "to",
        "min_failures", "outcome", "state", "device_id", "format"};
    private static final String[] IDS = {"pibook-1", "pibook-1", "pibook-2", "pibox-9", "nobody", "PIBOOK-1",
        "pib\u043eok-1", "pibook-1 ", "", "failing", "x".repeat(64), "x".repeat(65), "x".repeat(3000), "a/b",
        "%00", "\u0000", "pibook-1\u200b"};
    private static final Map<String, String[]> VALUES = Map.ofEntries(
            Map.entry("limit", new String[] {"1", "25", "100", "0", "101", "-1", " 5", "+5", "\u0663", "1e2",
                "99999999999", "2147483648", "abc", ""}),
            Map.entry("status", new String[] {"healthy", "failing", "offline", "never_synced", "decommissioned",
                "FAILING", "x"}),
            Map.entry("site", new String[] {"fuzz-school", "site-b", "nowhere", "a#b", "x".repeat(65)}),
            Map.entry("type", new String[] {"PiBook", "PiBox", "pibook", "x".repeat(33)}),
            Map.entry("q", new String[] {"pib", "PIB", "Reading", "", "x".repeat(65), "%", "\u0430"}),
            Map.entry("min_failures", new String[] {"1", "3", "1000", "0", "1001", "x"}),
            Map.entry("outcome", new String[] {"failed", "success", "FAILED", "x"}),
            Map.entry("state", new String[] {"open", "resolved", "closed"}),
            Map.entry("device_id", IDS),
            Map.entry("format", new String[] {"csv", "json", "xml", "CSV"}));

    private static Fleet fleet;

    /** The DynamoDB engine with a few devices and their history, built once per JVM. */
    static final class Fleet {
        final RequestMeter meter = new RequestMeter();
        final LocalPiSync stack = new LocalPiSync(TestBed.shared(), CLOCK, 3, false, meter);
        final QueryHandler handler = new QueryHandler(stack.dynamo, stack.config, new Cursors(CURSOR_KEY), CLOCK);
        final List<String> cursors = new ArrayList<>();

        Fleet() {
            register("pibook-1", "fuzz-school");
            register("pibook-2", "fuzz-school");
            register("pibox-9", "site-b");
            for (int i = 0; i < 6; i++) {
                post("pibook-1", i, i >= 2);
                post("pibook-2", i, i == 1);
            }
            stack.json("POST", "/v1/devices/pibook-1/sync-requests", null, 202);
            stack.drain();
            for (String q : new String[] {"/v1/devices", "/v1/devices?site=fuzz-school", "/v1/devices/failing",
                "/v1/devices/pibook-1/sync-events", "/v1/sync-errors", "/v1/alerts", "/v1/devices/repeated-failures?min_failures=1"}) {
                String path = q.contains("?") ? q + "&limit=1" : q + "?limit=1";
                APIGatewayV2HTTPResponse r = call(request("GET", path, LocalPiSync.ADMIN_CLAIMS));
                try {
                    JsonNode next = HTTP_JSON.readTree(r.getBody()).path("next_cursor");
                    if (next.isTextual()) {
                        cursors.add(next.asText());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(r.getBody(), e);
                }
            }
        }

        private void register(String id, String site) {
            stack.json("POST", "/v1/devices", "{\"device_id\":\"" + id + "\",\"name\":\"Reading " + id
                    + "\",\"type\":\"PiBook\",\"site\":\"" + site + "\"}", 201);
        }

        private void post(String id, int minute, boolean failed) {
            stack.json("POST", "/v1/sync-events", "{\"device_id\":\"" + id + "\",\"timestamp\":\"2026-11-01T08:0" + minute
                    + ":00Z\",\"total_files_synced\":3,\"total_errors\":" + (failed ? 2 : 0)
                    + ",\"internet_speed\":5.5,\"error_message\":\"disk full\"}", 202);
        }

        APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent e) {
            return handler.handleRequest(e, null);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper HTTP_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static synchronized Fleet fleet() {
        if (fleet == null) {
            fleet = new Fleet();
        }
        return fleet;
    }

    /** A request for a route with path parameters and a decoded query string, as API Gateway hands it over. */
    static APIGatewayV2HTTPEvent request(String routeKey, Map<String, String> pathParameters,
            Map<String, String> query, Map<String, String> claims) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        String path = routeKey.substring(routeKey.indexOf(' ') + 1);
        e.setRouteKey(routeKey);
        e.setRawPath(path);
        e.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        e.setQueryStringParameters(query.isEmpty() ? null : query);
        e.setHeaders(Map.of("host", "127.0.0.1"));
        e.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRouteKey(routeKey).withRequestId("fuzz")
                .withTimeEpoch(NOW.toEpochMilli())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                .withAuthorizer(claims == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                        .build())
                .build());
        return e;
    }

    private static APIGatewayV2HTTPEvent request(String method, String pathAndQuery, Map<String, String> claims) {
        int q = pathAndQuery.indexOf('?');
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Map<String, String> params = new LinkedHashMap<>();
        String route = method + " " + path;
        if (path.startsWith("/v1/devices/") && !path.equals("/v1/devices/failing")
                && !path.equals("/v1/devices/repeated-failures")) {
            String[] parts = path.split("/");
            params.put("device_id", parts[3]);
            route = method + " /v1/devices/{device_id}" + (parts.length > 4 ? "/" + parts[4] : "");
        }
        return request(route, params, query, claims);
    }

    @FuzzTest(maxDuration = "5m")
    void queryParameters(FuzzedDataProvider data) {
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(
                (host, port) -> "127.0.0.1".equals(host) || "localhost".equals(host))) {
            Fleet f = fleet();
            String route = Uploads.pick(data, ROUTES);
            Map<String, String> path = new LinkedHashMap<>();
            if (route.contains("{device_id}")) {
                path.put("device_id", data.consumeInt(0, 4) == 0 ? Uploads.text(data, 8) : Uploads.pick(data, IDS));
            }
            Map<String, String> query = new LinkedHashMap<>();
            int n = data.consumeInt(0, 5);
            for (int i = 0; i < n; i++) {
                String name = data.consumeInt(0, 12) == 0 ? data.consumeString(10) : Uploads.pick(data, PARAMS);
                query.put(name, value(data, f, name));
            }
            Map<String, String> claims = claims(data);
            APIGatewayV2HTTPEvent request = request(route, path, query, claims);
            f.meter.reset();
            APIGatewayV2HTTPResponse response = f.call(request);
            JsonNode body = Invariants.check(response, path + " " + query);
            long writes = f.meter.requests().entrySet().stream()
                    .filter(e -> !e.getKey().matches("DynamoDb\\.(Query|GetItem|BatchGetItem)"))
                    .mapToLong(Map.Entry::getValue).sum();
            if (writes != 0) {
                throw new AssertionError("the read-only function made " + f.meter.requests() + " for " + route);
            }
            if (response.getStatusCode() == 200 && body != null && body.has("items")) {
                JsonNode next = body.get("next_cursor");
                if (next == null || !(next.isNull() || next.isTextual())) {
                    throw new AssertionError("a list without next_cursor: " + response.getBody());
                }
                if (next.isTextual() && data.consumeBoolean()) {
                    Map<String, String> again = new LinkedHashMap<>(query);
                    again.put("cursor", next.asText());
                    APIGatewayV2HTTPResponse second = f.call(request(route, path, again, claims));
                    Invariants.check(second, path + " " + again);
                    if (second.getStatusCode() != 200) {
                        throw new AssertionError("its own next_cursor refused: " + second.getBody());
                    }
                }
            }
        }
    }

    private static String value(FuzzedDataProvider data, Fleet f, String name) {
        int how = data.consumeInt(0, 9);
        if (name.equals("cursor")) {
            if (f.cursors.isEmpty() || how < 2) {
                return data.consumeString(60);
            }
            String c = f.cursors.get(data.consumeInt(0, f.cursors.size() - 1));
            if (how < 5) {
                int i = data.consumeInt(0, c.length() - 1);
                return c.substring(0, i) + data.consumeChar() + c.substring(Math.min(c.length(), i + 1));
            }
            return c;
        }
        if (how == 0) {
            return Uploads.text(data, 10);
        }
        if (name.equals("since") || name.equals("from") || name.equals("to")) {
            return how < 3 ? Uploads.pick(data, new String[] {"2026-10-01T00:00:00Z", "2026-11-01T08:02:00Z",
                "1970-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
                "0000-01-01T00:00:00Z", "2026-11-01", "2026-11-01T08:00:00"}) : Uploads.timestamp(data);
        }
        String[] options = VALUES.get(name);
        return options == null ? data.consumeString(20) : Uploads.pick(data, options);
    }

    private static Map<String, String> claims(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 15)) {
            case 0 -> null;
            case 1 -> Map.of("sub", "v", "username", "viewer", "cognito:groups", "[viewer]");
            case 2 -> Map.of("sub", "n", "username", "nobody");
            case 3 -> Map.of("username", "nosub", "cognito:groups", "[admin]");
            case 4 -> Map.of("sub", "g", "cognito:groups", data.consumeString(20));
            default -> LocalPiSync.ADMIN_CLAIMS;
        };
    }
}
