package com.pisync.infra;

import static com.pisync.infra.TemplateJson.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code -c provisionedMaxCapacity=N}: every table and every index in provisioned mode, read and write capacity
 * auto scaled from the minimum to N at the target utilisation, and still nothing for cdk-nag to flag.
 */
@SuppressWarnings("deprecation") // Annotations.find* still return cxapi.SynthesisMessage in aws-cdk-lib 2.263
class ProvisionedCapacityTest {

    private static final int MAX = 8000;
    private static PiSyncStack stack;
    private static TemplateJson json;

    @BeforeAll
    static void synthesise() {
        stack = Stacks.build(Map.of("stage", "prod", "provisionedMaxCapacity", String.valueOf(MAX)));
        json = new TemplateJson(Template.fromStack(stack));
    }

    @Test
    void everyTableAndIndexIsProvisionedAndAutoScaledOnReadsAndWrites() {
        for (Storage.TableSpec spec : Storage.TABLES) {
            var table = stack.storage().all().get(Storage.TABLES.indexOf(spec));
            Map<String, Object> p = json.props(table);
            // CloudFormation's default billing mode is PROVISIONED; the CDK leaves it out.
            assertTrue(p.get("BillingMode") == null || "PROVISIONED".equals(p.get("BillingMode")), spec.id());
            Map<String, Object> minimum = Map.of("ReadCapacityUnits", StageConfig.PROVISIONED_MIN_CAPACITY,
                    "WriteCapacityUnits", StageConfig.PROVISIONED_MIN_CAPACITY);
            assertEquals(minimum, p.get("ProvisionedThroughput"), spec.id());
            List<?> gsis = p.get("GlobalSecondaryIndexes") == null ? List.of() : (List<?>) p.get("GlobalSecondaryIndexes");
            assertEquals(spec.indexes().size(), gsis.size(), spec.id());
            for (Object gsi : gsis) {
                assertEquals(minimum, map(gsi).get("ProvisionedThroughput"), spec.id() + " " + map(gsi).get("IndexName"));
            }
        }
        var targets = json.ofType("AWS::ApplicationAutoScaling::ScalableTarget").values();
        int perTables = Storage.TABLES.stream().mapToInt(t -> 2 * (1 + t.indexes().size())).sum();
        assertEquals(perTables, targets.size());
        for (Map<String, Object> target : targets) {
            Map<String, Object> p = map(target.get("Properties"));
            assertEquals(StageConfig.PROVISIONED_MIN_CAPACITY, ((Number) p.get("MinCapacity")).intValue());
            assertEquals(MAX, ((Number) p.get("MaxCapacity")).intValue());
            assertEquals("dynamodb", p.get("ServiceNamespace"));
        }
        var policies = json.ofType("AWS::ApplicationAutoScaling::ScalingPolicy").values();
        assertEquals(perTables, policies.size());
        for (Map<String, Object> policy : policies) {
            Map<String, Object> config = map(map(policy.get("Properties")).get("TargetTrackingScalingPolicyConfiguration"));
            assertEquals(StageConfig.PROVISIONED_TARGET_UTILIZATION, ((Number) config.get("TargetValue")).intValue());
        }
    }

    @Test
    void staysCleanUnderCdkNag() {
        Annotations annotations = Annotations.fromStack(stack);
        var findings = new ArrayList<>(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        findings.addAll(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        assertTrue(findings.isEmpty(), () -> findings.stream().map(m -> m.getId() + " " + m.getEntry().getData())
                .toList().toString());
    }

    @Test
    void isOnDemandUnlessAsked() {
        assertEquals(Optional.empty(), StageConfig.fromContext(new App().getNode()).provisionedMaxCapacity());
        App app = App.Builder.create().context(Map.of("provisionedMaxCapacity", "4000")).build();
        assertEquals(Optional.of(4000), StageConfig.fromContext(app.getNode()).provisionedMaxCapacity());
    }
}
