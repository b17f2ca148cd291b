package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.Admin;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import com.pisync.infra.constructs.Ingest;
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

    @BeforeAll
    static void load() {
        stack = Stacks.dev();
        json = new TemplateJson(Stacks.template(stack));
        deviceRoutes = FunctionCode.routes("ingest", "com.pisync.ingest.IngestHandler");
        expected = new LinkedHashMap<>();
        deviceRoutes.forEach(r -> expected.put(r, stack.ingest().ingest()));
        FunctionCode.routes("query", "com.pisync.query.QueryHandler").forEach(r -> expected.put(r, stack.query().query()));
        FunctionCode.routes("admin", "com.pisync.admin.AdminHandler").forEach(r -> expected.put(r, stack.admin().admin()));
    }

    @Test
    void infraRouteListsAreTheHandlers() {
        assertEquals(FunctionCode.routes("ingest", "com.pisync.ingest.IngestHandler"), Ingest.ROUTES);
        assertEquals(FunctionCode.routes("query", "com.pisync.query.QueryHandler"), Query.ROUTES);
        assertEquals(FunctionCode.routes("admin", "com.pisync.admin.AdminHandler"), Admin.ROUTES);
    }

    @Test
    void everyRouteReachesTheLiveAliasOfItsFunctionAndNoOtherRouteExists() {
        Map<String, String> integrationToAlias = new LinkedHashMap<>();
        json.ofType("AWS::ApiGatewayV2::Integration").forEach((id, integration) ->
                integrationToAlias.put(id, TemplateJson.describe(TemplateJson.props(integration).get("IntegrationUri"))));
        Map<String, String> actual = new TreeMap<>();
        for (Map<String, Object> route : json.ofType("AWS::ApiGatewayV2::Route").values()) {
            Map<String, Object> p = TemplateJson.props(route);
            String target = TemplateJson.describe(p.get("Target"));
            assertTrue(target.startsWith("integrations/"), target);
            actual.put(String.valueOf(p.get("RouteKey")), integrationToAlias.get(target.substring("integrations/".length())));
        }
        Map<String, String> wanted = new TreeMap<>();
        expected.forEach((route, live) -> wanted.put(route, logicalId(live.alias())));
        assertEquals(wanted, actual);
        assertEquals(17, actual.size());
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
                    : route.equals(Query.EXPORT_ROUTE) ? List.of(2, 5)
                    : live == stack.admin().admin() ? List.of(10, 20)
                    : List.of(50, 100);
            assertEquals(wanted.get(0).doubleValue(), ((Number) throttle.get("throttlingRateLimit")).doubleValue(), route);
            assertEquals(wanted.get(1).intValue(), ((Number) throttle.get("throttlingBurstLimit")).intValue(), route);
        });
    }

    /**
     * Today no route has an API Gateway authorizer: device routes authenticate in the ingest function,
     * dashboard routes wait for the Cognito JWT authorizer (security issue), each with the APIG4
     * suppression saying so. When the authorizer arrives, this test changes with it.
     */
    @Test
    void dashboardRoutesAreMarkedAsWaitingForTheAdminAuthorizer() {
        for (Map<String, Object> route : json.ofType("AWS::ApiGatewayV2::Route").values()) {
            Map<String, Object> p = TemplateJson.props(route);
            String key = String.valueOf(p.get("RouteKey"));
            assertNull(p.get("AuthorizerId"), key);
            String reason = String.valueOf(TemplateJson.map(((List<?>) TemplateJson.map(TemplateJson.map(
                    route.get("Metadata")).get("cdk_nag")).get("rules_to_suppress")).get(0)).get("reason"));
            if (deviceRoutes.contains(key)) {
                assertTrue(reason.contains("DeviceAuthenticator"), key + ": " + reason);
            } else {
                assertEquals("admin authorization arrives with the Cognito authorizer (security issue); "
                        + "until then deploy only to dev", reason, key);
            }
        }
    }
}
