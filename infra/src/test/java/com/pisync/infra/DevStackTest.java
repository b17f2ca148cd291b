package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import com.pisync.infra.constructs.Processing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Table;

class DevStackTest {

    private static PiSyncStack stack;
    private static Template template;
    private static Map<String, Object> resources;

    @BeforeAll
    static void synth() {
        stack = Stacks.dev();
        template = Stacks.template(stack);
        resources = map(template.toJSON().get("Resources"));
    }

    @Test
    void stackIsNamedAfterTheStage() {
        assertEquals("PiSync-dev", stack.getStackName());
    }

    // ---------------------------------------------------------------- storage

    @Test
    void tablesHaveTheContractKeysOnDemandBillingPitrAndSse() {
        template.resourceCountIs("AWS::DynamoDB::Table", 3);
        assertTable(stack.storage().devices(), List.of(key("device_id", "HASH")), null);
        assertTable(stack.storage().syncEvents(), List.of(key("device_id", "HASH"), key("order_key", "RANGE")),
                "expires_at");
        assertTable(stack.storage().alerts(), List.of(key("alert_id", "HASH")), null);
    }

    @Test
    void devTablesAreDestroyedWithTheStack() {
        for (Table table : List.of(stack.storage().devices(), stack.storage().syncEvents(), stack.storage().alerts())) {
            Map<String, Object> resource = resource(logicalId(table));
            assertEquals("Delete", resource.get("DeletionPolicy"));
            assertEquals(false, props(logicalId(table)).get("DeletionProtectionEnabled"));
        }
    }

    private void assertTable(Table table, List<Map<String, Object>> keySchema, String ttlAttribute) {
        Map<String, Object> p = props(logicalId(table));
        assertEquals(keySchema, p.get("KeySchema"));
        assertEquals("PAY_PER_REQUEST", p.get("BillingMode"));
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), p.get("PointInTimeRecoverySpecification"));
        assertEquals(true, map(p.get("SSESpecification")).get("SSEEnabled"));
        for (Map<String, Object> key : keySchema) {
            assertTrue(((List<?>) p.get("AttributeDefinitions")).contains(
                    Map.of("AttributeName", key.get("AttributeName"), "AttributeType", "S")));
        }
        if (ttlAttribute == null) {
            assertNull(p.get("TimeToLiveSpecification"));
        } else {
            assertEquals(Map.of("AttributeName", ttlAttribute, "Enabled", true), p.get("TimeToLiveSpecification"));
        }
    }

    // ---------------------------------------------------------------- queue + processor

    @Test
    void queueRedrivesToTheDlqAfterFiveReceivesIsEncryptedAndOutlastsSixProcessorTimeouts() {
        String queue = logicalId(stack.processing().queue());
        String dlq = logicalId(stack.processing().deadLetterQueue());
        Map<String, Object> q = props(queue);
        assertEquals(Map.of("deadLetterTargetArn", getAtt(dlq, "Arn"), "maxReceiveCount", 5), q.get("RedrivePolicy"));
        assertEquals(true, q.get("SqsManagedSseEnabled"));
        assertEquals(true, props(dlq).get("SqsManagedSseEnabled"));

        int functionTimeout = ((Number) props(logicalId(stack.processing().processor().function())).get("Timeout")).intValue();
        assertTrue(((Number) q.get("VisibilityTimeout")).intValue() >= 6 * functionTimeout,
                "visibility timeout must be ≥ 6 × processor timeout");
    }

    @Test
    void bothQueuesDenyNonTlsAccess() {
        for (String queue : List.of(logicalId(stack.processing().queue()), logicalId(stack.processing().deadLetterQueue()))) {
            template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                    "Queues", List.of(Map.of("Ref", queue)),
                    "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        }
    }

    @Test
    void processorConsumesTheQueueThroughItsLiveAliasWithPartialBatchFailures() {
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", getAtt(logicalId(stack.processing().queue()), "Arn"),
                "BatchSize", 100,
                "MaximumBatchingWindowInSeconds", 1,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "ScalingConfig", Map.of("MaximumConcurrency", Processing.MAX_CONCURRENCY)));
        Map<String, Object> esm = only("AWS::Lambda::EventSourceMapping");
        String functionName = String.valueOf(props(esm).get("FunctionName"));
        assertTrue(functionName.contains(logicalId(stack.processing().processor().alias()))
                && functionName.contains(":live"), "event source must target the live alias: " + functionName);
    }

    // ---------------------------------------------------------------- functions

    @Test
    void functionsRunJava21OnArmWithSnapStartTheJarsAndTheirConfiguration() {
        template.resourceCountIs("AWS::Lambda::Function", 2);
        assertFunction(stack.ingest().ingest(), "com.pisync.ingest.IngestHandler::handleRequest", 512, 10,
                Set.of("SYNC_EVENTS_QUEUE_URL"));
        assertFunction(stack.processing().processor(), "com.pisync.processor.ProcessorHandler::handleRequest", 1024, 30,
                Set.of("ALERTS_TOPIC_ARN"));

        Map<String, Object> ingestEnv = environment(stack.ingest().ingest());
        assertEquals(Map.of("Ref", logicalId(stack.processing().queue())), ingestEnv.get("SYNC_EVENTS_QUEUE_URL"));
        Map<String, Object> processorEnv = environment(stack.processing().processor());
        assertEquals(Map.of("Ref", logicalId(stack.alerts().topic())), processorEnv.get("ALERTS_TOPIC_ARN"));
        assertEquals(Map.of("Ref", logicalId(stack.storage().devices())), processorEnv.get("DEVICES_TABLE"));
        assertEquals(Map.of("Ref", logicalId(stack.storage().syncEvents())), processorEnv.get("SYNC_EVENTS_TABLE"));
        assertEquals(Map.of("Ref", logicalId(stack.storage().alerts())), processorEnv.get("ALERTS_TABLE"));
        assertEquals("3", processorEnv.get("FAILURE_THRESHOLD"));
        assertEquals("1440", processorEnv.get("OFFLINE_AFTER_MINUTES"));
        assertEquals("400", processorEnv.get("HISTORY_RETENTION_DAYS"));
    }

    private void assertFunction(LiveFunction live, String handler, int memory, int timeout, Set<String> ownVariables) {
        Map<String, Object> p = props(logicalId(live.function()));
        assertEquals("java21", p.get("Runtime"));
        assertEquals(List.of("arm64"), p.get("Architectures"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), p.get("SnapStart"));
        assertEquals(handler, p.get("Handler"));
        assertEquals(memory, ((Number) p.get("MemorySize")).intValue());
        assertEquals(timeout, ((Number) p.get("Timeout")).intValue());
        assertEquals(Map.of("LogGroup", Map.of("Ref", logicalId(live.logGroup()))), p.get("LoggingConfig"));
        assertEquals(30, ((Number) props(logicalId(live.logGroup())).get("RetentionInDays")).intValue());

        Map<String, Object> env = environment(live);
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", env.get("JAVA_TOOL_OPTIONS"));
        Set<String> expected = new TreeSet<>(Set.of("DEVICES_TABLE", "SYNC_EVENTS_TABLE", "ALERTS_TABLE",
                "FAILURE_THRESHOLD", "OFFLINE_AFTER_MINUTES", "HISTORY_RETENTION_DAYS", "JAVA_TOOL_OPTIONS"));
        expected.addAll(ownVariables);
        assertEquals(expected, new TreeSet<>(env.keySet()));

        // The code asset is the function module's shaded jar, staged byte for byte.
        String s3Key = String.valueOf(map(p.get("Code")).get("S3Key"));
        assertTrue(s3Key.endsWith(".jar"), s3Key);
        Path staged = Path.of(((App) stack.getNode().getRoot()).getOutdir(), "asset." + s3Key);
        Path source = FunctionArtifacts.locate().jar(artifactOf(handler));
        try {
            assertEquals(-1L, Files.mismatch(staged, source), staged + " is not a copy of " + source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String artifactOf(String handler) {
        return handler.startsWith("com.pisync.ingest.") ? "ingest" : "processor";
    }

    @Test
    void eachFunctionHasALiveAliasOnItsCurrentVersion() {
        template.resourceCountIs("AWS::Lambda::Alias", 2);
        template.resourceCountIs("AWS::Lambda::Version", 2);
        for (LiveFunction live : List.of(stack.ingest().ingest(), stack.processing().processor())) {
            Map<String, Object> alias = props(logicalId(live.alias()));
            assertEquals("live", alias.get("Name"));
            assertEquals(Map.of("Ref", logicalId(live.function())), alias.get("FunctionName"));
            assertTrue(String.valueOf(alias.get("FunctionVersion")).contains("CurrentVersion"), alias.toString());
        }
    }

    // ---------------------------------------------------------------- IAM

    @Test
    void ingestMaySendToTheQueueAndWriteItsLogsNothingElse() {
        LiveFunction ingest = stack.ingest().ingest();
        String queue = logicalId(stack.processing().queue());
        assertEquals(Set.of(
                "logs:CreateLogStream -> " + logicalId(ingest.logGroup()) + ".Arn",
                "logs:PutLogEvents -> " + logicalId(ingest.logGroup()) + ".Arn",
                "sqs:SendMessage -> " + queue + ".Arn"), permissions(ingest));
    }

    @Test
    void processorGetsExactlyTheTableTopicKeyAndQueueActionsItUses() {
        LiveFunction processor = stack.processing().processor();
        String devices = logicalId(stack.storage().devices()) + ".Arn";
        String events = logicalId(stack.storage().syncEvents()) + ".Arn";
        String alerts = logicalId(stack.storage().alerts()) + ".Arn";
        String topic = logicalId(stack.alerts().topic());
        String key = logicalId(stack.alerts().key()) + ".Arn";
        String queue = logicalId(stack.processing().queue()) + ".Arn";
        String logs = logicalId(processor.logGroup()) + ".Arn";
        assertEquals(Set.of(
                "logs:CreateLogStream -> " + logs,
                "logs:PutLogEvents -> " + logs,
                "dynamodb:GetItem -> " + devices,
                "dynamodb:UpdateItem -> " + devices,
                "dynamodb:BatchGetItem -> " + events,
                "dynamodb:BatchWriteItem -> " + events,
                "dynamodb:Query -> " + events,
                "dynamodb:PutItem -> " + alerts,
                "sns:Publish -> " + topic,
                "kms:Decrypt -> " + key,
                "kms:GenerateDataKey -> " + key,
                // granted by the SQS event source
                "sqs:ReceiveMessage -> " + queue,
                "sqs:DeleteMessage -> " + queue,
                "sqs:ChangeMessageVisibility -> " + queue,
                "sqs:GetQueueAttributes -> " + queue,
                "sqs:GetQueueUrl -> " + queue), permissions(processor));
    }

    @Test
    void noIamPolicyUsesWildcardActionsOrResourcesAndNoManagedPolicies() {
        for (Object policy : resourcesOfType("AWS::IAM::Policy").values()) {
            for (Map<String, Object> statement : statements(policy)) {
                for (Object action : asList(statement.get("Action"))) {
                    assertFalse(String.valueOf(action).contains("*"), "wildcard action " + action);
                }
                for (Object resource : asList(statement.get("Resource"))) {
                    assertFalse(resource instanceof String s && s.contains("*"), "wildcard resource " + resource);
                }
            }
        }
        for (Object role : resourcesOfType("AWS::IAM::Role").values()) {
            assertNull(props(map(role)).get("ManagedPolicyArns"), "roles carry no managed policies");
        }
    }

    // ---------------------------------------------------------------- API

    @Test
    void apiRoutesBothPathsToTheIngestAliasWithPayloadV2() {
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP",
                "CorsConfiguration", Match.absent()));
        template.resourceCountIs("AWS::ApiGatewayV2::Route", 2);
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", "POST /v1/sync-events"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", "GET /health"));
        template.resourceCountIs("AWS::ApiGatewayV2::Integration", 1);
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY",
                "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", logicalId(stack.ingest().ingest().alias()))));
    }

    @Test
    void defaultStageThrottlesPerStageAndPerRouteAndWritesAccessLogs() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100),
                "RouteSettings", Map.of(
                        "POST /v1/sync-events", Map.of("throttlingRateLimit", 50, "throttlingBurstLimit", 100),
                        "GET /health", Map.of("throttlingRateLimit", 5, "throttlingBurstLimit", 10)),
                "AccessLogSettings", Match.objectLike(Map.of(
                        "DestinationArn", getAtt(logicalId(stack.ingest().accessLogs()), "Arn"),
                        "Format", Match.stringLikeRegexp(".*\\$context\\.requestId.*")))));
        // The stage's route settings name routes that must exist first.
        List<?> dependsOn = (List<?>) resource(logicalId(stack.ingest().stage())).get("DependsOn");
        for (var route : stack.ingest().routes()) {
            assertTrue(dependsOn.contains(logicalId(route)), "stage depends on " + logicalId(route));
        }
    }

    // ---------------------------------------------------------------- alerts + monitoring

    @Test
    void alertsTopicIsKmsEncryptedWithARotatedKeyAndTlsOnly() {
        String topic = logicalId(stack.alerts().topic());
        assertEquals(getAtt(logicalId(stack.alerts().key()), "Arn"), props(topic).get("KmsMasterKeyId"));
        assertEquals(true, props(logicalId(stack.alerts().key())).get("EnableKeyRotation"));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(Map.of("Ref", topic)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "sns:Publish",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        template.resourceCountIs("AWS::SNS::Subscription", 0); // no -c alertEmail / operatorEmail in dev
    }

    @Test
    void alarmsCoverDlqBacklogFunctionsApiAndTablesAndNotifyOperators() {
        template.resourceCountIs("AWS::CloudWatch::Alarm", 10);
        String operatorTopic = logicalId(stack.monitoring().operatorTopic());
        for (Object alarm : resourcesOfType("AWS::CloudWatch::Alarm").values()) {
            Map<String, Object> p = props(map(alarm));
            assertEquals(List.of(Map.of("Ref", operatorTopic)), p.get("AlarmActions"), p.toString());
            assertEquals(List.of(Map.of("Ref", operatorTopic)), p.get("OKActions"), p.toString());
            assertEquals("notBreaching", p.get("TreatMissingData"));
        }
        String dlqName = logicalId(stack.processing().deadLetterQueue());
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", getAtt(dlqName, "QueueName"))),
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "Threshold", 1)));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateAgeOfOldestMessage",
                "Dimensions", List.of(Map.of("Name", "QueueName",
                        "Value", getAtt(logicalId(stack.processing().queue()), "QueueName"))))));
        String processor = logicalId(stack.processing().processor().function());
        for (String metric : List.of("Errors", "Throttles")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "AWS/Lambda", "MetricName", metric,
                    "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", processor))))));
        }
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/ApiGateway", "MetricName", "5xx")));
        for (Table table : List.of(stack.storage().devices(), stack.storage().syncEvents(), stack.storage().alerts())) {
            String alarms = template.findResources("AWS::CloudWatch::Alarm").toString();
            assertTrue(alarms.contains("WriteThrottleEvents") && alarms.contains("ReadThrottleEvents")
                    && alarms.contains(logicalId(table)), "throttle alarm for " + logicalId(table));
        }
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }

    @Test
    void operatorTopicIsEncryptedWithAKeyCloudWatchMayUse() {
        String key = logicalId(stack.monitoring().operatorTopic().getMasterKey());
        assertEquals(getAtt(key, "Arn"), props(logicalId(stack.monitoring().operatorTopic())).get("KmsMasterKeyId"));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of(
                "EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))))));
    }

    @Test
    void outputsNameTheEndpoints() {
        for (String output : List.of("ApiUrl", "AlertsTopicArn", "QueueUrl", "DlqUrl")) {
            template.hasOutput(output, Match.objectLike(Map.of("Value", Match.anyValue())));
        }
        template.hasOutput("QueueUrl", Map.of("Value", Map.of("Ref", logicalId(stack.processing().queue())),
                "Description", Match.anyValue()));
        template.hasOutput("DlqUrl", Map.of("Value", Map.of("Ref", logicalId(stack.processing().deadLetterQueue())),
                "Description", Match.anyValue()));
    }

    // ---------------------------------------------------------------- helpers

    /** "action -> resource" for every statement of the policies attached to the function's role. */
    private static Set<String> permissions(LiveFunction live) {
        String role = logicalId(live.role());
        Set<String> result = new HashSet<>();
        for (Object policy : resourcesOfType("AWS::IAM::Policy").values()) {
            if (!asList(props(map(policy)).get("Roles")).contains(Map.of("Ref", role))) {
                continue;
            }
            for (Map<String, Object> statement : statements(policy)) {
                assertEquals("Allow", statement.get("Effect"));
                for (Object action : asList(statement.get("Action"))) {
                    for (Object resource : asList(statement.get("Resource"))) {
                        result.add(action + " -> " + describe(resource));
                    }
                }
            }
        }
        return result;
    }

    private static String describe(Object resource) {
        if (resource instanceof Map<?, ?> m && m.get("Ref") != null) {
            return String.valueOf(m.get("Ref"));
        }
        if (resource instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> att) {
            return att.get(0) + "." + att.get(1);
        }
        return String.valueOf(resource);
    }

    private static List<Map<String, Object>> statements(Object policy) {
        Map<String, Object> document = map(props(map(policy)).get("PolicyDocument"));
        return asList(document.get("Statement")).stream().map(DevStackTest::map).collect(Collectors.toList());
    }

    private static Map<String, Object> environment(LiveFunction live) {
        return map(map(props(logicalId(live.function())).get("Environment")).get("Variables"));
    }

    private static Map<String, Object> key(String name, String type) {
        return Map.of("AttributeName", name, "KeyType", type);
    }

    private static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    private static Map<String, Object> only(String type) {
        Map<String, Object> found = resourcesOfType(type);
        assertEquals(1, found.size(), type);
        return map(found.values().iterator().next());
    }

    private static Map<String, Object> resourcesOfType(String type) {
        return map(template.findResources(type));
    }

    private static Map<String, Object> resource(String logicalId) {
        Object resource = resources.get(logicalId);
        assertTrue(resource != null, "no resource " + logicalId);
        return map(resource);
    }

    private static Map<String, Object> props(String logicalId) {
        return props(resource(logicalId));
    }

    private static Map<String, Object> props(Map<String, Object> resource) {
        return map(resource.get("Properties"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static List<?> asList(Object o) {
        return o instanceof List<?> l ? l : List.of(o);
    }
}
