package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static com.pisync.infra.TemplateJson.getAtt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.dynamodb.Table;

/**
 * Live updates on AWS: the WebSocket API ($connect/$disconnect to the connect function), the ticket route, the
 * fan-out's filtered stream sources (devices, alerts, sync_requests, incidents), and each of the three functions' exact permissions — ManageConnections on
 * this WebSocket API only.
 */
class LiveUpdatesStackTest {

    private static PiSyncStack stack;
    private static TemplateJson json;

    @BeforeAll
    static void synth() {
        stack = Stacks.dev();
        json = new TemplateJson(Stacks.template(stack));
    }

    private static String arn(Table table) {
        return logicalId(table) + ".Arn";
    }

    private static Set<String> withLogs(LiveFunction live, List<String> own) {
        String group = logicalId(live.logGroup()) + ".Arn";
        Set<String> expected = new TreeSet<>(own);
        expected.add("logs:CreateLogStream -> " + group);
        expected.add("logs:PutLogEvents -> " + group);
        return expected;
    }

    @Test
    void theWebSocketApiHasOnlyConnectAndDisconnectOnTheConnectFunction() {
        String api = logicalId(stack.liveUpdates().socketApi());
        assertEquals("WEBSOCKET", json.props(stack.liveUpdates().socketApi()).get("ProtocolType"));
        Map<String, String> routes = new TreeMap<>();
        Map<String, String> integrations = new HashMap<>();
        json.ofType("AWS::ApiGatewayV2::Integration").forEach((id, i) -> integrations.put(id,
                TemplateJson.describe(TemplateJson.props(i).get("IntegrationUri"))));
        for (Map<String, Object> route : json.ofType("AWS::ApiGatewayV2::Route").values()) {
            Map<String, Object> p = TemplateJson.props(route);
            if (Map.of("Ref", api).equals(p.get("ApiId"))) {
                String target = TemplateJson.describe(p.get("Target"));
                routes.put(String.valueOf(p.get("RouteKey")), integrations.get(target.substring("integrations/".length())));
                assertEquals("NONE", p.get("AuthorizationType"), "the ticket authorises the connection");
            }
        }
        String connect = logicalId(stack.liveUpdates().connect().alias());
        assertEquals(Set.of("$connect", "$disconnect"), routes.keySet());
        routes.values().forEach(uri -> assertTrue(uri.contains(connect), uri));
        json.template().hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "live", "AutoDeploy", true));
        assertTrue(json.environment(stack.liveUpdates().ticket()).containsKey("LIVE_URL"));
        assertTrue(json.environment(stack.liveUpdates().fanout()).containsKey("LIVE_CALLBACK_URL"));
    }

    @Test
    void ticketMayOnlyPutTickets() {
        var s = stack.storage();
        assertEquals(withLogs(stack.liveUpdates().ticket(), List.of("dynamodb:PutItem -> " + arn(s.live()))),
                json.permissions(stack.liveUpdates().ticket()));
    }

    @Test
    void connectMayConsumeTicketsAndRecordAndForgetConnections() {
        var s = stack.storage();
        assertEquals(withLogs(stack.liveUpdates().connect(), List.of(
                "dynamodb:DeleteItem -> " + arn(s.live()),
                "dynamodb:PutItem -> " + arn(s.live()),
                "dynamodb:Query -> " + arn(s.live()))),
                json.permissions(stack.liveUpdates().connect()));
    }

    @Test
    void fanoutReadsFourStreamsTheConnectionsAndPostsToItsOwnApiOnly() {
        var s = stack.storage();
        LiveFunction fanout = stack.liveUpdates().fanout();
        List<String> own = new ArrayList<>(List.of(
                "dynamodb:Query -> " + arn(s.live()),
                "dynamodb:DeleteItem -> " + arn(s.live()),
                "dynamodb:Query -> " + arn(s.live()) + "/index/by_audience",
                "dynamodb:GetItem -> " + arn(s.devices()),
                "dynamodb:ListStreams -> *"));
        for (Table table : List.of(s.devices(), s.alerts(), s.syncRequests(), s.incidents())) {
            for (String action : List.of("DescribeStream", "GetRecords", "GetShardIterator")) {
                own.add("dynamodb:" + action + " -> " + logicalId(table) + ".StreamArn");
            }
        }
        Set<String> actual = new TreeSet<>(json.permissions(fanout));
        List<String> manage = actual.stream().filter(p -> p.startsWith("execute-api:ManageConnections -> ")).toList();
        assertEquals(1, manage.size(), String.valueOf(actual));
        assertTrue(manage.get(0).contains(logicalId(stack.liveUpdates().socketApi())) && manage.get(0).contains("@connections"),
                manage.get(0));
        actual.removeAll(manage);
        assertEquals(withLogs(fanout, own), actual);
    }

    @Test
    void fanoutStreamsStartAtLatestFilterToChangesAndRetryBriefly() {
        var s = stack.storage();
        String alias = logicalId(stack.liveUpdates().fanout().alias());
        Map<String, Map<String, Object>> byTable = new HashMap<>();
        for (Map<String, Object> m : json.ofType("AWS::Lambda::EventSourceMapping").values()) {
            Map<String, Object> p = TemplateJson.props(m);
            if (TemplateJson.describe(p.get("FunctionName")).contains(alias)) {
                byTable.put(TemplateJson.describe(p.get("EventSourceArn")), p);
            }
        }
        assertEquals(4, byTable.size());
        for (Table table : List.of(s.devices(), s.alerts(), s.syncRequests(), s.incidents())) {
            Map<String, Object> p = byTable.get(TemplateJson.describe(getAtt(logicalId(table), "StreamArn")));
            assertEquals("LATEST", p.get("StartingPosition"));
            assertEquals(100, p.get("BatchSize"));
            assertEquals(2, p.get("MaximumRetryAttempts"));
            assertEquals(60, p.get("MaximumRecordAgeInSeconds"));
            String pattern = String.valueOf(TemplateJson.map(TemplateJson.map(p.get("FilterCriteria")).get("Filters") instanceof List<?> l
                    ? l.get(0) : null).get("Pattern"));
            assertTrue(pattern.contains("\"eventName\":[\"INSERT\",\"MODIFY\"]"), pattern);
            if (table == s.syncRequests()) {
                assertTrue(pattern.contains("{\"prefix\":\"req_\"}"), "credential items never reach the function: " + pattern);
            }
            if (table == s.incidents()) {
                assertTrue(pattern.contains("\"Keys\":{\"sk\":{\"S\":[\"incident\"]}}"),
                        "only incident items reach the function (not site states, devices, subscriptions): " + pattern);
            }
        }
    }
}
