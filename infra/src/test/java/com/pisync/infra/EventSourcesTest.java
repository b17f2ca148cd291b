package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static com.pisync.infra.TemplateJson.getAtt;
import static com.pisync.infra.TemplateJson.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.dynamodb.Table;

/** The stats function's stream sources and the sweeper's schedule. */
class EventSourcesTest {

    private static PiSyncStack stack;
    private static TemplateJson json;

    @BeforeAll
    static void synth() {
        stack = Stacks.dev();
        json = new TemplateJson(Stacks.template(stack));
    }

    @Test
    void statsReadsBothStreamsFromTheStartWithPartialFailuresAndInfiniteRetries() {
        json.template().resourceCountIs("AWS::Lambda::EventSourceMapping", 3 + 4 /* live fan-out, LiveUpdatesStackTest */);
        for (Table table : List.of(stack.storage().devices(), stack.storage().syncEvents())) {
            Map<String, Object> esm = mappingFor(getAtt(logicalId(table), "StreamArn"), stack.fleetStats().stats());
            Map<String, Object> p = new HashMap<>(TemplateJson.props(esm));
            String function = TemplateJson.describe(p.remove("FunctionName"));
            assertTrue(function.contains(logicalId(stack.fleetStats().stats().alias())) && function.endsWith(":live"),
                    function);
            p.remove("Tags");
            Map<String, Object> wanted = new HashMap<>(Map.of(
                    "EventSourceArn", getAtt(logicalId(table), "StreamArn"),
                    "StartingPosition", "TRIM_HORIZON",
                    "BatchSize", 1000,
                    "MaximumBatchingWindowInSeconds", 60,
                    "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                    "BisectBatchOnFunctionError", false,
                    "ParallelizationFactor", 1,
                    "MaximumRetryAttempts", -1,
                    "MaximumRecordAgeInSeconds", -1));
            if (table == stack.storage().syncEvents()) {
                wanted.put("FilterCriteria", Map.of("Filters", List.of(Map.of("Pattern", "{\"eventName\":[\"INSERT\"]}"))));
            }
            assertEquals(wanted, p, logicalId(table));
        }
    }

    @Test
    void sweeperRunsEveryFifteenMinutesThroughItsLiveAlias() {
        json.template().resourceCountIs("AWS::Events::Rule", 1);
        String rule = logicalId(stack.sweeper().schedule());
        Map<String, Object> p = json.props(rule);
        assertEquals("rate(15 minutes)", p.get("ScheduleExpression"));
        assertEquals("ENABLED", p.get("State"));
        List<?> targets = (List<?>) p.get("Targets");
        assertEquals(1, targets.size());
        assertEquals(ref(stack.sweeper().sweeper().alias()), TemplateJson.map(targets.get(0)).get("Arn"));
        json.template().hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction",
                "Principal", "events.amazonaws.com",
                "FunctionName", ref(stack.sweeper().sweeper().alias()),
                "SourceArn", getAtt(rule, "Arn")));
        Map<String, Object> fn = json.props(stack.sweeper().sweeper().function());
        assertEquals(1, fn.get("ReservedConcurrentExecutions"));
        assertEquals(300, fn.get("Timeout"));
    }

    private static Map<String, Object> mappingFor(Object eventSourceArn) {
        return mappingFor(eventSourceArn, null);
    }

    /** The mapping of that source to that function's alias (null: any function). */
    private static Map<String, Object> mappingFor(Object eventSourceArn, LiveFunction function) {
        List<Map<String, Object>> found = json.ofType("AWS::Lambda::EventSourceMapping").values().stream()
                .filter(m -> eventSourceArn.equals(TemplateJson.props(m).get("EventSourceArn")))
                .filter(m -> function == null || TemplateJson.describe(TemplateJson.props(m).get("FunctionName"))
                        .contains(logicalId(function.alias())))
                .toList();
        assertEquals(1, found.size(), String.valueOf(eventSourceArn));
        return found.get(0);
    }
}
