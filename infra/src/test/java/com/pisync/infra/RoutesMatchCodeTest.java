package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.Admin;
import com.pisync.infra.constructs.Auth;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import com.pisync.infra.constructs.Ingest;
import com.pisync.infra.constructs.LiveUpdates;
import com.pisync.infra.constructs.Query;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route the handlers declare ({@code <Handler>.ROUTES}, read from their jars) reaches its function. */
class RoutesMatchCodeTest {

    private static PiSyncStack stack;
    private static TemplateJson json;
    /** Route key → the function that must serve it, from the code. */
    private static Map<String, LiveFunction> expected;
    private static List<String> deviceRoutes;
    /** Routes without an API Gateway authorizer, from the code: the ingest routes and the auth sign-in routes. */
    private static List<String> publicRoutes;

    @BeforeAll
    static void load() {
        stack = Stacks.dev();
        json = new TemplateJson(Stacks.template(stack));
        deviceRoutes = FunctionCode.routes("ingest", "com.pisync.ingest.IngestHandler");
        expected = new LinkedHashMap<>();
        deviceRoutes.forEach(r -> expected.put(r, stack.ingest().ingest()));
        FunctionCode.routes("query", "com.pisync.query.QueryHandler").forEach(r -> expected.put(r, stack.query().query()));
        FunctionCode.routes("admin", "com.pisync.admin.AdminHandler").forEach(r -> expected.put(r, stack.admin().admin()));
        FunctionCode.routes("auth", "com.pisync.auth.AuthHandler").forEach(r -> expected.put(r, stack.auth().auth()));
        FunctionCode.routes("live", "com.pisync.live.LiveTicketHandler")
                .forEach(r -> expected.put(r, stack.liveUpdates().ticket()));
        publicRoutes = new ArrayList<>(deviceRoutes);
        publicRoutes.addAll(FunctionCode.routes("auth", "com.pisync.auth.AuthHandler", "PUBLIC_ROUTES"));
    }

    @Test
    void infraRouteListsAreTheHandlers() {
        assertEquals(FunctionCode.routes("ingest", "com.pisync.ingest.IngestHandler"), Ingest.ROUTES);
        assertEquals(FunctionCode.routes("query", "com.pisync.query.QueryHandler"), Query.ROUTES);
        assertEquals(FunctionCode.routes("admin", "com.pisync.admin.AdminHandler"), Admin.ROUTES);
        assertEquals(FunctionCode.routes("auth", "com.pisync.auth.AuthHandler"), Auth.ROUTES);
        assertEquals(FunctionCode.routes("live", "com.pisync.live.LiveTicketHandler"), LiveUpdates.ROUTES);
        assertEquals(FunctionCode.routes("auth", "com.pisync.auth.AuthHandler", "PUBLIC_ROUTES"), Auth.PUBLIC_ROUTES);
        assertEquals(List.of("POST /v1/sync-events", "GET /health", "POST /v1/auth/login",
                "POST /v1/auth/login/totp", "POST /v1/auth/refresh", "POST /v1/auth/logout"), publicRoutes);
    }

    @Test
    void everyRouteReachesTheLiveAliasOfItsFunctionAndNoOtherRouteExists() {
        Map<String, String> integrationToAlias = new LinkedHashMap<>();
        json.ofType("AWS::ApiGatewayV2::Integration").forEach((id, integration) ->
                integrationToAlias.put(id, TemplateJson.describe(TemplateJson.props(integration).get("IntegrationUri"))));
        Map<String, String> actual = new TreeMap<>();
        for (Map<String, Object> route : json.ofType("AWS::ApiGatewayV2::Route").values()) {
            Map<String, Object> p = TemplateJson.props(route);
            if (!onHttpApi(p)) {
                continue; // the live WebSocket API's $connect/$disconnect: LiveUpdatesStackTest
            }
            String target = TemplateJson.describe(p.get("Target"));
            assertTrue(target.startsWith("integrations/"), target);
            actual.put(String.valueOf(p.get("RouteKey")), integrationToAlias.get(target.substring("integrations/".length())));
        }
        Map<String, String> wanted = new TreeMap<>();
        expected.forEach((route, live) -> wanted.put(route, logicalId(live.alias())));
        assertEquals(wanted, actual);
        assertEquals(23 + 4 /* v1.1 sites: at-risk, sites list, site get and put */ + 1 /* live ticket */
                + 5 /* v1.1 incidents list and get, subscriptions create, list and delete */
                + 3 /* v1.1 audit list and export, PATCH users */
                + 3 /* v1.1 TOTP: login/totp, totp/setup, totp/verify */
                + 2 /* TOTP off: totp/disable, an admin's DELETE users/{username}/totp */, actual.size());
    }

    /** One invoke permission per route, for its own alias (CDK scopes them by path, any stage and method). */
    @Test
    void eachRouteGrantsApiGatewayInvokeOnItsOwnAlias() {
        List<String> actual = new ArrayList<>();
        for (Map<String, Object> permission : json.ofType("AWS::Lambda::Permission").values()) {
            Map<String, Object> p = TemplateJson.props(permission);
            if (!"apigateway.amazonaws.com".equals(p.get("Principal"))) {
                continue;
            }
            assertEquals("lambda:InvokeFunction", p.get("Action"));
            String arn = TemplateJson.describe(p.get("SourceArn"));
            String api = logicalId(stack.ingest().api());
            if (arn.contains(logicalId(stack.liveUpdates().socketApi()))) {
                continue; // the WebSocket API's routes: LiveUpdatesStackTest
            }
            assertTrue(arn.contains(":" + api + "/*/*/"), arn);
            actual.add(arn.substring(arn.indexOf(api + "/*/*/") + api.length() + 4) + " -> "
                    + TemplateJson.describe(p.get("FunctionName")));
        }
        List<String> wanted = new ArrayList<>();
        expected.forEach((route, live) -> wanted.add(route.split(" ", 2)[1] + " -> " + logicalId(live.alias())));
        Collections.sort(actual);
        Collections.sort(wanted);
        assertEquals(wanted, actual);
    }

    @Test
    void everyRouteHasItsOwnThrottle() {
        Map<String, Object> settings = TemplateJson.map(json.props(stack.ingest().stage()).get("RouteSettings"));
        assertEquals(new java.util.TreeSet<>(expected.keySet()), new java.util.TreeSet<>(settings.keySet()));
        expected.forEach((route, live) -> {
            Map<String, Object> throttle = TemplateJson.map(settings.get(route));
            List<Number> wanted = route.equals("GET /health") ? List.of(5, 10)
                    : route.startsWith("POST /v1/auth/totp/") ? List.of(10, 20) // the signed-in user's own
                    : route.startsWith("POST /v1/auth/") ? List.of(5, 10)
                    : route.equals(Query.EXPORT_ROUTE) || route.equals(Query.AUDIT_EXPORT_ROUTE) ? List.of(2, 5)
                    : live == stack.admin().admin() || route.contains(" /v1/users") ? List.of(10, 20)
                    : List.of(50, 100);
            assertEquals(wanted.get(0).doubleValue(), ((Number) throttle.get("throttlingRateLimit")).doubleValue(), route);
            assertEquals(wanted.get(1).intValue(), ((Number) throttle.get("throttlingBurstLimit")).intValue(), route);
        });
    }

    /**
     * Every route but the five public ones (device ingest, health, sign-in) requires the Cognito JWT
     * authorizer and carries no APIG4 suppression; each public route has no authorizer and exactly one
     * suppression, APIG4, saying why.
     */
    @Test
    void everyAdminRouteHasTheJwtAuthorizerAndOnlyThePublicRoutesAreUnauthorized() {
        Map<String, Map<String, Object>> authorizers = json.ofType("AWS::ApiGatewayV2::Authorizer");
        assertEquals(1, authorizers.size(), "one authorizer: the Cognito JWT authorizer (SecurityTest checks it)");
        String authorizer = authorizers.keySet().iterator().next();
        int authorized = 0;
        for (Map<String, Object> route : json.ofType("AWS::ApiGatewayV2::Route").values()) {
            Map<String, Object> p = TemplateJson.props(route);
            if (!onHttpApi(p)) {
                continue;
            }
            String key = String.valueOf(p.get("RouteKey"));
            List<?> suppressions = route.get("Metadata") == null ? List.of()
                    : (List<?>) TemplateJson.map(TemplateJson.map(route.get("Metadata")).get("cdk_nag")).get("rules_to_suppress");
            if (publicRoutes.contains(key)) {
                assertEquals("NONE", p.get("AuthorizationType"), key);
                assertNull(p.get("AuthorizerId"), key);
                assertEquals(1, suppressions.size(), key);
                Map<String, Object> suppression = TemplateJson.map(suppressions.get(0));
                assertEquals("AwsSolutions-APIG4", suppression.get("id"), key);
                String reason = String.valueOf(suppression.get("reason"));
                String wanted = key.equals("GET /health") ? "public liveness probe"
                        : key.startsWith("POST /v1/auth/") ? "public by design" : "DeviceAuthenticator";
                assertTrue(reason.contains(wanted), key + ": " + reason);
            } else {
                assertEquals("JWT", p.get("AuthorizationType"), key);
                assertEquals(Map.of("Ref", authorizer), p.get("AuthorizerId"), key);
                assertTrue(suppressions.isEmpty(), key + " must not suppress anything: " + suppressions);
                authorized++;
            }
        }
        assertEquals(expected.size() - publicRoutes.size(), authorized);
        assertEquals(18 + 4 /* v1.1 sites */ + 1 /* live ticket */ + 5 /* v1.1 incidents, subscriptions */
                + 3 /* v1.1 audit list and export, PATCH users */ + 2 /* TOTP setup and verify */
                + 2 /* TOTP disable, an admin's TOTP reset */, authorized);
    }

    private static boolean onHttpApi(Map<String, Object> routeProps) {
        return Map.of("Ref", logicalId(stack.ingest().api())).equals(routeProps.get("ApiId"));
    }
}
