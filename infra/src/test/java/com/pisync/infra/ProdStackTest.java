package com.pisync.infra;

import static com.pisync.infra.TemplateJson.map;
import static com.pisync.infra.Stacks.logicalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Table;

class ProdStackTest {

    private static PiSyncStack stack;
    private static Template template;

    @BeforeAll
    static void synth() {
        stack = Stacks.prod();
        template = Stacks.template(stack);
    }

    @Test
    void prodStackIsNamedAndTerminationProtected() {
        assertEquals("PiSync-prod", stack.getStackName());
        assertTrue(stack.getTerminationProtection());
    }

    @Test
    void prodTablesAreRetainedAndDeletionProtected() {
        Map<String, Object> resources = map(template.toJSON().get("Resources"));
        template.resourceCountIs("AWS::DynamoDB::Table", 5 + 4 /* v1.1 sites, incidents, audit; live */);
        for (Table table : stack.storage().all()) {
            Map<String, Object> resource = map(resources.get(logicalId(table)));
            assertEquals("Retain", resource.get("DeletionPolicy"));
            assertEquals("Retain", resource.get("UpdateReplacePolicy"));
            assertEquals(true, map(resource.get("Properties")).get("DeletionProtectionEnabled"));
            assertEquals(Map.of("PointInTimeRecoveryEnabled", true),
                    map(resource.get("Properties")).get("PointInTimeRecoverySpecification"));
        }
    }

    @Test
    void prodLogGroupsKeysAndTheCursorSecretAreRetained() {
        template.allResources("AWS::Logs::LogGroup", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
        template.allResources("AWS::KMS::Key", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
        template.allResources("AWS::SecretsManager::Secret", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    @Test
    void emailSubscriptionsFollowContext() {
        template.resourceCountIs("AWS::SNS::Subscription", 2);
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", Stacks.ALERT_EMAIL,
                "TopicArn", Map.of("Ref", logicalId(stack.alerts().topic()))));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", Stacks.OPERATOR_EMAIL,
                "TopicArn", Map.of("Ref", logicalId(stack.monitoring().operatorTopic()))));
    }

    @Test
    void corsAllowsOnlyTheDashboardOrigin() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of(
                "CorsConfiguration", Match.objectLike(Map.of(
                        "AllowOrigins", List.of(Stacks.DASHBOARD_ORIGIN),
                        "AllowHeaders", List.of("authorization", "content-type")))));
    }
}
