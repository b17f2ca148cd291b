package com.pisync.infra;

import static com.pisync.infra.TemplateJson.asList;
import static com.pisync.infra.TemplateJson.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/** cdk-nag AwsSolutions and Serverless (applied by PiSyncApp.build, as on every real synth) find nothing unsuppressed. */
@SuppressWarnings("deprecation") // Annotations.find* still return cxapi.SynthesisMessage in aws-cdk-lib 2.263
class NagComplianceTest {

    /** Both packs PiSyncApp applies: AwsSolutionsChecks and ServerlessChecks. */
    static final String PACKS = "(AwsSolutions|Serverless)-.*";

    static Stream<PiSyncStack> stacks() {
        return Stream.of(Stacks.dev(), Stacks.prod(), Stacks.devInAnAccount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void noUnsuppressedErrorsOrWarningsOfEitherPack(PiSyncStack stack) {
        Stacks.template(stack); // synthesise (runs the nag aspect)
        Annotations annotations = Annotations.fromStack(stack);
        List<software.amazon.awscdk.cxapi.SynthesisMessage> errors = annotations.findError("*", Match.stringLikeRegexp(PACKS));
        List<software.amazon.awscdk.cxapi.SynthesisMessage> warnings = annotations.findWarning("*", Match.stringLikeRegexp(PACKS));
        assertTrue(errors.isEmpty(), () -> describe(errors));
        assertTrue(warnings.isEmpty(), () -> describe(warnings));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void noCdkWarningsAtAll(PiSyncStack stack) {
        Stacks.template(stack);
        List<software.amazon.awscdk.cxapi.SynthesisMessage> warnings = Annotations.fromStack(stack).findWarning("*", Match.anyValue());
        assertTrue(warnings.isEmpty(), () -> describe(warnings));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void everySuppressionIsSpecific(PiSyncStack stack) {
        List<Map<String, Object>> suppressions = new ArrayList<>();
        Map<String, Object> json = Stacks.template(stack).toJSON();
        collect(json.get("Metadata"), suppressions);
        for (Object resource : map(json.get("Resources")).values()) {
            collect(map(resource).get("Metadata"), suppressions);
        }
        assertFalse(suppressions.isEmpty(), "expected the documented suppressions");
        for (Map<String, Object> suppression : suppressions) {
            String reason = String.valueOf(suppression.get("reason"));
            assertTrue(reason.length() >= 10, "reason too short: " + suppression);
            String id = String.valueOf(suppression.get("id"));
            if (id.equals("AwsSolutions-IAM4") || id.equals("AwsSolutions-IAM5")) {
                assertFalse(asList(suppression.get("applies_to")).isEmpty() || suppression.get("applies_to") == null,
                        "IAM4/IAM5 suppressions must name what they allow (appliesTo): " + suppression);
            }
        }
        // Today's suppressions, so a new one is a conscious change to this list.
        List<String> expected = new ArrayList<>(List.of("AwsSolutions-APIG4", "AwsSolutions-CFR1", "AwsSolutions-CFR2",
                "AwsSolutions-CFR4", "AwsSolutions-COG2", "AwsSolutions-IAM4", "AwsSolutions-IAM5", "AwsSolutions-L1",
                "AwsSolutions-SMG4", "Serverless-EventBusDLQ", "Serverless-LambdaDLQ",
                "Serverless-LambdaEventSourceMappingDestination", "Serverless-LambdaLatestVersion",
                "Serverless-LambdaTracing", "Serverless-SQSRedrivePolicy"));
        if (map(json.get("Resources")).values().stream()
                .anyMatch(r -> "AWS::SNS::Subscription".equals(map(r).get("Type")))) {
            expected.add("Serverless-SNSRedrivePolicy"); // only where an operator e-mail is subscribed (prod)
        }
        assertEquals(expected.stream().sorted().collect(Collectors.toList()),
                suppressions.stream().map(s -> String.valueOf(s.get("id"))).distinct().sorted().collect(Collectors.toList()));
    }

    /**
     * PiSync's one wildcard: dynamodb:ListStreams (no resource-level permission), on the stats role only. The
     * other IAM4/IAM5 suppressions are on the CDK-managed BucketDeployment handler only (DashboardHostingTest).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void theOnlyIam5SuppressionIsListStreamsOnTheStatsRole(PiSyncStack stack) {
        Map<String, Object> resources = map(Stacks.template(stack).toJSON().get("Resources"));
        List<String> suppressedOn = new ArrayList<>();
        resources.forEach((id, resource) -> {
            List<Map<String, Object>> suppressions = new ArrayList<>();
            collect(map(resource).get("Metadata"), suppressions);
            for (Map<String, Object> s : suppressions) {
                if (String.valueOf(s.get("id")).startsWith("AwsSolutions-IAM") && id.startsWith("CustomCDKBucketDeployment")) {
                    assertTrue(String.valueOf(s.get("reason")).startsWith("CDK-managed BucketDeployment handler"));
                    continue;
                }
                assertFalse("AwsSolutions-IAM4".equals(s.get("id")), "IAM4 suppressed on " + id);
                if ("AwsSolutions-IAM5".equals(s.get("id"))) {
                    // The live fan-out also posts to its WebSocket stage's @connections/* (LiveUpdates).
                    List<?> appliesTo = (List<?>) s.get("applies_to");
                    assertEquals("Resource::*", appliesTo.get(0));
                    assertTrue(appliesTo.size() == 1 || appliesTo.size() == 2 && String.valueOf(appliesTo.get(1))
                            .contains("@connections"), String.valueOf(appliesTo));
                    assertTrue(String.valueOf(s.get("reason")).contains("ListStreams"));
                    suppressedOn.add(id);
                }
            }
        });
        String policy = Stacks.logicalId(stack.fleetStats().stats().role().getNode().findChild("DefaultPolicy"));
        String fanout = Stacks.logicalId(stack.liveUpdates().fanout().role().getNode().findChild("DefaultPolicy"));
        assertEquals(new java.util.TreeSet<>(List.of(policy, fanout)), new java.util.TreeSet<>(suppressedOn));
    }

    private static void collect(Object metadata, List<Map<String, Object>> into) {
        if (metadata instanceof Map<?, ?> m && m.get("cdk_nag") instanceof Map<?, ?> nag) {
            for (Object rule : asList(nag.get("rules_to_suppress"))) {
                into.add(map(rule));
            }
        }
    }

    private static String describe(List<software.amazon.awscdk.cxapi.SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).collect(Collectors.joining("\n"));
    }
}
