package com.pisync.infra;

import static com.pisync.infra.TemplateJson.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Operability in the template: alarms on the business metrics the functions print as EMF (namespace PiSync,
 * dimension function), Lambda active tracing behind {@code -c tracing=true}, and both cdk-nag packs clean with it.
 */
@SuppressWarnings("deprecation") // Annotations.find* return cxapi.SynthesisMessage in aws-cdk-lib 2.263
class ObservabilityTemplateTest {

    private static Map<String, Object> alarm(Template template, String name) {
        for (Object resource : map(template.toJSON().get("Resources")).values()) {
            Map<String, Object> r = map(resource);
            if ("AWS::CloudWatch::Alarm".equals(r.get("Type")) && name.equals(map(r.get("Properties")).get("AlarmName"))) {
                return map(r.get("Properties"));
            }
        }
        throw new AssertionError("no alarm " + name);
    }

    /** The EMF metrics an alarm reads: "function/MetricName". */
    private static List<String> metricsOf(Map<String, Object> alarm) {
        List<String> found = new ArrayList<>();
        Object queries = alarm.get("Metrics");
        List<Object> stats = new ArrayList<>();
        if (queries == null) {
            stats.add(alarm); // a single-metric alarm
        } else {
            for (Object q : TemplateJson.asList(queries)) {
                Object stat = map(q).get("MetricStat");
                if (stat != null) {
                    stats.add(map(map(stat).get("Metric")));
                }
            }
        }
        for (Object s : stats) {
            Map<String, Object> m = map(s);
            if (!"PiSync".equals(m.get("Namespace"))) {
                continue;
            }
            Object dims = m.get("Dimensions");
            Map<String, Object> dim = map(TemplateJson.asList(dims).get(0));
            assertEquals("function", dim.get("Name"));
            found.add(dim.get("Value") + "/" + m.get("MetricName"));
        }
        return found;
    }

    @Test
    void businessMetricAlarmsNotifyTheOperators() {
        Template template = Stacks.template(Stacks.dev());
        Map<String, Object> rejected = alarm(template, "PiSync-dev-UploadsRejectedRising");
        assertEquals(List.of("ingest/EventsRejected", "ingest/UploadsRejected", "processor/EventsQueued"),
                metricsOf(rejected).stream().sorted().toList());
        Map<String, Object> behind = alarm(template, "PiSync-dev-StoredBehindAccepted");
        assertEquals(List.of("processor/DuplicatesDropped", "processor/EventsQueued", "processor/EventsStored"),
                metricsOf(behind).stream().sorted().toList());
        assertEquals(3, ((Number) behind.get("EvaluationPeriods")).intValue(), "a trend, not one slow period");
        Map<String, Object> spiking = alarm(template, "PiSync-dev-AlertsPerHourSpiking");
        assertEquals(List.of("processor/AlertsOpened"), metricsOf(spiking));
        assertEquals(3600, ((Number) spiking.get("Period")).intValue());
        for (Map<String, Object> a : List.of(rejected, behind, spiking)) {
            assertFalse(TemplateJson.asList(a.get("AlarmActions")).isEmpty(), "notifies: " + a.get("AlarmName"));
            assertEquals(TemplateJson.describe(a.get("AlarmActions")), TemplateJson.describe(a.get("OKActions")));
        }
    }

    @Test
    void tracingIsOffByDefaultAndActiveOnEveryFunctionWithTheContextFlag() {
        Template plain = Stacks.template(Stacks.dev());
        plain.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "com.pisync.processor.ProcessorHandler::handleRequest", "TracingConfig", Match.absent())));

        PiSyncStack traced = Stacks.build(Map.of("tracing", "true"));
        Template template = Template.fromStack(traced);
        int ours = 0;
        for (Object resource : map(template.toJSON().get("Resources")).values()) {
            Map<String, Object> r = map(resource);
            if (!"AWS::Lambda::Function".equals(r.get("Type"))) {
                continue;
            }
            Map<String, Object> p = map(r.get("Properties"));
            if (String.valueOf(p.get("Handler")).startsWith("com.pisync.")) {
                ours++;
                assertEquals(Map.of("Mode", "Active"), p.get("TracingConfig"), String.valueOf(p.get("Handler")));
            }
        }
        assertTrue(ours >= 7, "every PiSync function: " + ours);

        Annotations annotations = Annotations.fromStack(traced);
        var errors = annotations.findError("*", Match.stringLikeRegexp(NagComplianceTest.PACKS));
        var warnings = annotations.findWarning("*", Match.stringLikeRegexp(NagComplianceTest.PACKS));
        assertTrue(errors.isEmpty() && warnings.isEmpty(), () -> errors + "\n" + warnings);
    }
}
