package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static com.pisync.infra.TemplateJson.asList;
import static com.pisync.infra.TemplateJson.getAtt;
import static com.pisync.infra.TemplateJson.map;
import static com.pisync.infra.TemplateJson.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import com.pisync.infra.constructs.Ingest;
import com.pisync.infra.constructs.Processing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Table;

class DevStackTest {

    private static PiSyncStack stack;
    private static Template template;
    private static TemplateJson json;

    @BeforeAll
    static void synth() {
        stack = Stacks.dev();
        template = Stacks.template(stack);
        json = new TemplateJson(template);
    }

    @Test
    void stackIsNamedAfterTheStage() {
        assertEquals("PiSync-dev", stack.getStackName());
    }

    // ---------------------------------------------------------------- storage (keys/indexes: TablesMatchCodeTest)

    @Test
    void tablesAreOnDemandWithPitrAndSse() {
        template.resourceCountIs("AWS::DynamoDB::Table", 5 + 1 /* v1.1 sites */ + 1 /* live */ + 1 /* v1.1 incidents */
                + 1 /* v1.1 audit */);
        for (Table table : stack.storage().all()) {
            Map<String, Object> p = json.props(table);
            assertEquals("PAY_PER_REQUEST", p.get("BillingMode"));
            assertEquals(Map.of("PointInTimeRecoveryEnabled", true), p.get("PointInTimeRecoverySpecification"));
            assertEquals(true, map(p.get("SSESpecification")).get("SSEEnabled"));
            assertNull(p.get("TableName"), "CloudFormation names the tables; functions get them from the environment");
        }
    }

    @Test
    void devTablesAreDestroyedWithTheStack() {
        for (Table table : stack.storage().all()) {
            assertEquals("Delete", json.resource(table).get("DeletionPolicy"));
            assertEquals(false, json.props(table).get("DeletionProtectionEnabled"));
        }
    }

    // ---------------------------------------------------------------- queue + processor

    @Test
    void queueRedrivesToTheDlqAfterFiveReceivesIsEncryptedAndOutlastsSixProcessorTimeouts() {
        String dlq = logicalId(stack.processing().deadLetterQueue());
        Map<String, Object> q = json.props(stack.processing().queue());
        assertEquals(Map.of("deadLetterTargetArn", getAtt(dlq, "Arn"), "maxReceiveCount", 5), q.get("RedrivePolicy"));
        assertEquals(true, q.get("SqsManagedSseEnabled"));
        assertEquals(true, json.props(dlq).get("SqsManagedSseEnabled"));

        int functionTimeout = ((Number) json.props(stack.processing().processor().function()).get("Timeout")).intValue();
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
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", getAtt(logicalId(stack.processing().queue()), "Arn"),
                "BatchSize", 100,
                "MaximumBatchingWindowInSeconds", 1,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "ScalingConfig", Map.of("MaximumConcurrency", Processing.MAX_CONCURRENCY)));
        List<Map<String, Object>> sqs = json.ofType("AWS::Lambda::EventSourceMapping").values().stream()
                .filter(m -> TemplateJson.props(m).get("EventSourceArn").toString().contains("Queue"))
                .toList();
        assertEquals(1, sqs.size());
        String functionName = String.valueOf(TemplateJson.props(sqs.get(0)).get("FunctionName"));
        assertTrue(functionName.contains(logicalId(stack.processing().processor().alias()))
                && functionName.contains(":live"), "event source must target the live alias: " + functionName);
    }

    // ---------------------------------------------------------------- functions

    /** Every function: handler, memory, timeout, and the variables it has beyond the shared ones. */
    private static List<Object[]> functions() {
        return List.of(
                new Object[] {stack.ingest().ingest(), "com.pisync.ingest.IngestHandler::handleRequest", 512, 10,
                        Set.of("SYNC_EVENTS_QUEUE_URL", "DEVICE_TOKEN_KEY")},
                new Object[] {stack.processing().processor(), "com.pisync.processor.ProcessorHandler::handleRequest",
                        512, 30, Set.of("ALERTS_TOPIC_ARN")},
                new Object[] {stack.query().query(), "com.pisync.query.QueryHandler::handleRequest", 1024, 10,
                        Set.of("CURSOR_SIGNING_KEY")},
                new Object[] {stack.admin().admin(), "com.pisync.admin.AdminHandler::handleRequest", 1024, 10,
                        Set.of("ALERTS_TOPIC_ARN", "DEVICE_TOKEN_KEY")},
                new Object[] {stack.auth().auth(), "com.pisync.auth.AuthHandler::handleRequest", 512, 10,
                        Set.of("COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "CURSOR_SIGNING_KEY")},
                new Object[] {stack.sweeper().sweeper(), "com.pisync.sweeper.OfflineSweepHandler::handleRequest", 512,
                        300, Set.of("ALERTS_TOPIC_ARN")},
                new Object[] {stack.fleetStats().stats(), "com.pisync.stats.StatsHandler::handleRequest", 512, 60,
                        Set.of("ALERTS_TOPIC_ARN")}); // v1.1: site incidents are published
    }

    @Test
    @SuppressWarnings("unchecked")
    void functionsRunJava21OnArmWithSnapStartTheirJarsAndTheirConfiguration() {
        // PiSync's seven and the three of live updates (ticket, connect, fan-out), plus the CDK-managed dashboard
        // deployment handler and (dev) the auto-delete provider.
        assertEquals(7 + 3, json.ofType("AWS::Lambda::Function").keySet().stream()
                .filter(id -> !TemplateJson.isCdkManaged(id)).count());
        template.resourceCountIs("AWS::Lambda::Function", 9 + 3);
        for (Object[] f : functions()) {
            assertFunction((LiveFunction) f[0], (String) f[1], (Integer) f[2], (Integer) f[3], (Set<String>) f[4]);
        }
    }

    @Test
    void functionsGetTheirResourcesAndSettingsFromTheEnvironment() {
        for (Object[] f : functions()) {
            Map<String, Object> env = json.environment((LiveFunction) f[0]);
            stack.storage().byEnvironmentName().forEach((name, table) -> assertEquals(ref(table), env.get(name), name));
            assertEquals("3", env.get("FAILURE_THRESHOLD"));
            assertEquals("1440", env.get("OFFLINE_AFTER_MINUTES"));
            assertEquals("400", env.get("HISTORY_RETENTION_DAYS"));
        }
        assertEquals(ref(stack.processing().queue()), json.environment(stack.ingest().ingest()).get("SYNC_EVENTS_QUEUE_URL"));
        assertEquals(ref(stack.alerts().topic()), json.environment(stack.processing().processor()).get("ALERTS_TOPIC_ARN"));
        assertEquals(ref(stack.alerts().topic()), json.environment(stack.admin().admin()).get("ALERTS_TOPIC_ARN"));
        assertEquals(ref(stack.identity().userPool()), json.environment(stack.auth().auth()).get("COGNITO_USER_POOL_ID"));
        assertEquals(ref(stack.identity().client()), json.environment(stack.auth().auth()).get("COGNITO_CLIENT_ID"));
    }

    @Test
    void cursorSigningKeyIsAGeneratedSecretResolvedByCloudFormation() {
        template.resourceCountIs("AWS::SecretsManager::Secret", 2); // + DEVICE_TOKEN_KEY (SecurityTest)
        String secret = logicalId(stack.query().cursorSigningKey());
        assertEquals(Map.of("PasswordLength", 48, "ExcludePunctuation", true),
                json.props(secret).get("GenerateSecretString"));
        assertEquals("{{resolve:secretsmanager:" + secret + ":SecretString:::}}",
                TemplateJson.describe(json.environment(stack.query().query()).get("CURSOR_SIGNING_KEY")));
        assertEquals("{{resolve:secretsmanager:" + secret + ":SecretString:::}}",
                TemplateJson.describe(json.environment(stack.auth().auth()).get("CURSOR_SIGNING_KEY")));
        // Resolved at deploy time: no function may read the secret at run time.
        for (Map<String, Object> policy : json.ofType("AWS::IAM::Policy").values()) {
            assertFalse(policy.toString().contains("secretsmanager:"), policy.toString());
        }
    }

    private void assertFunction(LiveFunction live, String handler, int memory, int timeout, Set<String> ownVariables) {
        Map<String, Object> p = json.props(live.function());
        assertEquals("java21", p.get("Runtime"));
        assertEquals(List.of("arm64"), p.get("Architectures"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), p.get("SnapStart"));
        assertEquals(handler, p.get("Handler"));
        assertEquals(memory, ((Number) p.get("MemorySize")).intValue(), handler);
        assertEquals(timeout, ((Number) p.get("Timeout")).intValue(), handler);
        // JSON logs, platform lines at WARN: no START/END/REPORT line paid for on every invocation.
        assertEquals(Map.of("LogGroup", ref(live.logGroup()), "LogFormat", "JSON", "SystemLogLevel", "WARN",
                "ApplicationLogLevel", "INFO"), p.get("LoggingConfig"));
        assertEquals(30, ((Number) json.props(live.logGroup()).get("RetentionInDays")).intValue());

        Map<String, Object> env = json.environment(live);
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", env.get("JAVA_TOOL_OPTIONS"));
        Set<String> expected = new TreeSet<>(Set.of("DEVICES_TABLE", "SYNC_EVENTS_TABLE", "ALERTS_TABLE",
                "SYNC_REQUESTS_TABLE", "STATS_TABLE", "SITES_TABLE", "INCIDENTS_TABLE", "AUDIT_TABLE", "LIVE_TABLE",
                "FAILURE_THRESHOLD",
                "OFFLINE_AFTER_MINUTES",
                "HISTORY_RETENTION_DAYS", "JAVA_TOOL_OPTIONS"));
        expected.addAll(ownVariables);
        stack.config().dashboardOrigin().ifPresent(o -> expected.add("DASHBOARD_URL")); // alert e-mails link to it
        assertEquals(expected, new TreeSet<>(env.keySet()), handler);

        // The code asset is the function module's shaded jar, staged byte for byte, and holds the handler.
        String artifact = handler.split("\\.")[2]; // com.pisync.<artifact>.Handler::method
        String s3Key = String.valueOf(map(p.get("Code")).get("S3Key"));
        assertTrue(s3Key.endsWith(".jar"), s3Key);
        Path staged = Path.of(((App) stack.getNode().getRoot()).getOutdir(), "asset." + s3Key);
        Path source = FunctionArtifacts.locate().jar(artifact);
        try {
            assertEquals(-1L, Files.mismatch(staged, source), staged + " is not a copy of " + source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] classAndMethod = handler.split("::");
        assertTrue(FunctionCode.hasHandler(artifact, classAndMethod[0], classAndMethod[1]),
                handler + " not found in " + source);
    }

    @Test
    void eachFunctionHasALiveAliasOnItsCurrentVersion() {
        template.resourceCountIs("AWS::Lambda::Alias", 7 + 3 /* live: ticket, connect, fan-out */);
        template.resourceCountIs("AWS::Lambda::Version", 7 + 3 /* live */);
        for (Object[] f : functions()) {
            LiveFunction live = (LiveFunction) f[0];
            Map<String, Object> alias = json.props(live.alias());
            assertEquals("live", alias.get("Name"));
            assertEquals(ref(live.function()), alias.get("FunctionName"));
            assertTrue(String.valueOf(alias.get("FunctionVersion")).contains("CurrentVersion"), alias.toString());
        }
    }

    @Test
    void onlyTheSweeperHasReservedConcurrency() {
        for (Object[] f : functions()) {
            LiveFunction live = (LiveFunction) f[0];
            Object reserved = json.props(live.function()).get("ReservedConcurrentExecutions");
            assertEquals(live == stack.sweeper().sweeper() ? 1 : null, reserved, String.valueOf(f[1]));
        }
    }

    // ---------------------------------------------------------------- IAM: exact action → resource pairs

    private static String arn(Table table) {
        return logicalId(table) + ".Arn";
    }

    private static String index(Table table, String index) {
        return arn(table) + "/index/" + index;
    }

    private static List<String> logs(LiveFunction live) {
        String group = logicalId(live.logGroup()) + ".Arn";
        return List.of("logs:CreateLogStream -> " + group, "logs:PutLogEvents -> " + group);
    }

    private static List<String> publishAlerts() {
        String key = logicalId(stack.alerts().key()) + ".Arn";
        return List.of("sns:Publish -> " + logicalId(stack.alerts().topic()),
                "kms:Decrypt -> " + key, "kms:GenerateDataKey -> " + key);
    }

    private static Set<String> expect(LiveFunction live, List<String> own, List<String> shared) {
        Set<String> expected = new TreeSet<>(logs(live));
        expected.addAll(own);
        expected.addAll(shared);
        return expected;
    }

    @Test
    void ingestMaySendToTheQueueAndReadAndMarkSyncRequests() {
        var s = stack.storage();
        assertEquals(expect(stack.ingest().ingest(), List.of(
                "sqs:SendMessage -> " + logicalId(stack.processing().queue()) + ".Arn",
                "dynamodb:Query -> " + arn(s.syncRequests()),
                "dynamodb:UpdateItem -> " + arn(s.syncRequests())), List.of()),
                json.permissions(stack.ingest().ingest()));
    }

    @Test
    void processorGetsExactlyTheTableTopicKeyAndQueueActionsItUses() {
        var s = stack.storage();
        String queue = logicalId(stack.processing().queue()) + ".Arn";
        assertEquals(expect(stack.processing().processor(), List.of(
                "dynamodb:GetItem -> " + arn(s.devices()),
                "dynamodb:UpdateItem -> " + arn(s.devices()),
                "dynamodb:BatchWriteItem -> " + arn(s.syncEvents()),
                "dynamodb:PutItem -> " + arn(s.syncEvents()),
                "dynamodb:Query -> " + arn(s.syncEvents()),
                "dynamodb:PutItem -> " + arn(s.alerts()),
                "dynamodb:UpdateItem -> " + arn(s.syncRequests()),
                "dynamodb:GetItem -> " + arn(s.sites()),
                "dynamodb:GetItem -> " + arn(s.incidents()),
                "dynamodb:GetItem -> " + arn(s.alerts()),
                // granted by the SQS event source
                "sqs:ReceiveMessage -> " + queue,
                "sqs:DeleteMessage -> " + queue,
                "sqs:ChangeMessageVisibility -> " + queue,
                "sqs:GetQueueAttributes -> " + queue,
                "sqs:GetQueueUrl -> " + queue), publishAlerts()),
                json.permissions(stack.processing().processor()));
    }

    @Test
    void queryIsReadOnlyAndReachesIndexesOnlyWhereItQueriesThem() {
        var s = stack.storage();
        List<String> own = new ArrayList<>(List.of(
                "dynamodb:GetItem -> " + arn(s.devices()),
                "dynamodb:BatchGetItem -> " + arn(s.devices()),
                "dynamodb:Query -> " + arn(s.devices()),
                "dynamodb:Query -> " + arn(s.syncEvents()),
                "dynamodb:BatchGetItem -> " + arn(s.syncEvents()),
                "dynamodb:Query -> " + arn(s.syncRequests()),
                "dynamodb:Query -> " + arn(s.stats())));
        for (String i : List.of("all_devices", "by_name", "by_status", "by_site", "by_site_status", "failing",
                "failure_rank", "offline_due", "at_risk", "at_risk_by_site")) {
            own.add("dynamodb:Query -> " + index(s.devices(), i));
        }
        own.add("dynamodb:GetItem -> " + arn(s.sites()));
        own.add("dynamodb:Query -> " + index(s.sites(), "all_sites"));
        own.add("dynamodb:GetItem -> " + arn(s.incidents()));
        own.add("dynamodb:Query -> " + arn(s.incidents()));
        for (String i : List.of("all_incidents", "by_state", "by_site")) {
            own.add("dynamodb:Query -> " + index(s.incidents(), i));
        }
        for (String i : List.of("errors", "errors_by_site")) {
            own.add("dynamodb:Query -> " + index(s.syncEvents(), i));
        }
        for (String i : List.of("all_alerts", "by_state", "by_device", "by_site")) {
            own.add("dynamodb:Query -> " + index(s.alerts(), i));
        }
        for (String i : List.of("all_entries", "by_actor", "by_target", "by_action")) {
            own.add("dynamodb:Query -> " + index(s.audit(), i));
        }
        Set<String> actual = json.permissions(stack.query().query());
        assertEquals(expect(stack.query().query(), own, List.of()), actual);
        for (String permission : actual) {
            String action = permission.substring(0, permission.indexOf(' '));
            assertTrue(Set.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "logs:CreateLogStream",
                    "logs:PutLogEvents").contains(action), "query must stay read-only: " + permission);
        }
    }

    @Test
    void adminWritesTheRegistryAndSyncRequestsAndPublishesAlerts() {
        var s = stack.storage();
        assertEquals(expect(stack.admin().admin(), List.of(
                "dynamodb:GetItem -> " + arn(s.devices()),
                "dynamodb:UpdateItem -> " + arn(s.devices()),
                "dynamodb:PutItem -> " + arn(s.syncRequests()),
                "dynamodb:Query -> " + arn(s.syncRequests()),
                "dynamodb:PutItem -> " + arn(s.alerts()),
                "dynamodb:PutItem -> " + arn(s.audit()),
                "dynamodb:GetItem -> " + arn(s.audit()),
                "dynamodb:GetItem -> " + arn(s.sites()),
                "dynamodb:PutItem -> " + arn(s.sites()),
                "dynamodb:UpdateItem -> " + arn(s.sites()),
                "dynamodb:BatchGetItem -> " + arn(s.devices()),
                "dynamodb:Query -> " + index(s.devices(), "by_site"),
                "dynamodb:Query -> " + arn(s.stats()),
                "dynamodb:GetItem -> " + arn(s.incidents()),
                "dynamodb:GetItem -> " + arn(s.alerts()),
                // v1.1 subscriptions: the topic's subscriptions, and the "subscriptions" partition only
                "sns:Subscribe -> " + logicalId(stack.alerts().topic()),
                "sns:Unsubscribe -> " + logicalId(stack.alerts().topic()),
                "sns:GetSubscriptionAttributes -> " + logicalId(stack.alerts().topic()),
                "dynamodb:PutItem -> " + arn(s.incidents()),
                "dynamodb:DeleteItem -> " + arn(s.incidents()),
                "dynamodb:Query -> " + arn(s.incidents())), publishAlerts()),
                json.permissions(stack.admin().admin()));
        // The subscription records: the "subscriptions" partition of the incidents table, nothing else.
        boolean leadingKeys = json.ofType("AWS::IAM::Policy").values().stream()
                .flatMap(p -> TemplateJson.statements(p).stream())
                .filter(st -> asList(st.get("Action")).contains("dynamodb:DeleteItem"))
                .anyMatch(st -> String.valueOf(st.get("Condition")).contains("dynamodb:LeadingKeys=[subscriptions]"));
        assertTrue(leadingKeys, "subscriptions writes limited by dynamodb:LeadingKeys");
    }

    /** The audit log is append-only by IAM: some functions may put (and get) entries, none may update or delete. */
    @Test
    void auditLogIsAppendOnlyForEveryFunction() {
        String audit = arn(stack.storage().audit());
        for (Object[] f : functions()) {
            for (String permission : json.permissions((LiveFunction) f[0])) {
                if (permission.endsWith(" -> " + audit) || permission.contains(audit + "/")) {
                    String action = permission.substring(0, permission.indexOf(' '));
                    assertTrue(Set.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query").contains(action),
                            f[1] + " must not change audit entries: " + permission);
                }
            }
        }
        assertTrue(json.permissions(stack.admin().admin()).contains("dynamodb:PutItem -> " + audit));
        assertTrue(json.permissions(stack.auth().auth()).contains("dynamodb:PutItem -> " + audit));
    }

    /** Only the user-pool administration it calls; InitiateAuth and RevokeToken are not IAM-authorised. */
    @Test
    void authAdministersUsersOfItsOwnUserPoolOnlyAndAppendsToTheAuditLog() {
        String pool = logicalId(stack.identity().userPool()) + ".Arn";
        assertEquals(expect(stack.auth().auth(), List.of(
                "cognito-idp:AdminCreateUser -> " + pool,
                "cognito-idp:AdminSetUserPassword -> " + pool,
                "cognito-idp:AdminAddUserToGroup -> " + pool,
                "cognito-idp:AdminDeleteUser -> " + pool,
                "cognito-idp:AdminSetUserMFAPreference -> " + pool, // an admin's TOTP reset
                "cognito-idp:ListUsersInGroup -> " + pool,
                "cognito-idp:AdminGetUser -> " + pool,
                "cognito-idp:AdminListGroupsForUser -> " + pool,
                "cognito-idp:AdminRemoveUserFromGroup -> " + pool,
                "cognito-idp:GetGroup -> " + pool,
                "cognito-idp:CreateGroup -> " + pool,
                "cognito-idp:ListGroups -> " + pool,
                "dynamodb:PutItem -> " + arn(stack.storage().audit()),
                "dynamodb:GetItem -> " + arn(stack.storage().audit())), List.of()),
                json.permissions(stack.auth().auth()));
        for (Object[] f : functions()) {
            if (f[0] != stack.auth().auth()) {
                assertTrue(json.permissions((LiveFunction) f[0]).stream().noneMatch(p -> p.startsWith("cognito-idp:")),
                        f[1] + " must not touch the user pool");
            }
        }
    }

    @Test
    void sweeperQueriesOnlyItsTwoIndexesUpdatesDevicesAndPublishesPendingAlerts() {
        var s = stack.storage();
        assertEquals(expect(stack.sweeper().sweeper(), List.of(
                "dynamodb:Query -> " + index(s.devices(), "offline_due"),
                "dynamodb:Query -> " + index(s.devices(), "pending_alerts"),
                "dynamodb:GetItem -> " + arn(s.devices()),
                "dynamodb:UpdateItem -> " + arn(s.devices()),
                "dynamodb:PutItem -> " + arn(s.alerts()),
                "dynamodb:GetItem -> " + arn(s.incidents()),
                "dynamodb:GetItem -> " + arn(s.alerts())), publishAlerts()),
                json.permissions(stack.sweeper().sweeper()));
    }

    @Test
    void statsUpdatesCountersAndReadsBothStreams() {
        var s = stack.storage();
        List<String> own = new ArrayList<>(List.of(
                "dynamodb:UpdateItem -> " + arn(s.stats()),
                "dynamodb:GetItem -> " + arn(s.stats()),
                "dynamodb:ListStreams -> *", // no resource-level permission exists (suppressed IAM5)
                // v1.1 site incidents, evaluated after the status counters move
                "dynamodb:Query -> " + arn(s.stats()),
                "dynamodb:GetItem -> " + arn(s.sites()),
                "dynamodb:GetItem -> " + arn(s.incidents()),
                "dynamodb:UpdateItem -> " + arn(s.incidents()),
                "dynamodb:PutItem -> " + arn(s.incidents()),
                "dynamodb:BatchWriteItem -> " + arn(s.incidents()),
                "dynamodb:Query -> " + index(s.devices(), "by_site_status")));
        for (Table table : List.of(s.devices(), s.syncEvents())) {
            for (String action : List.of("DescribeStream", "GetRecords", "GetShardIterator")) {
                own.add("dynamodb:" + action + " -> " + logicalId(table) + ".StreamArn");
            }
        }
        assertEquals(expect(stack.fleetStats().stats(), own, publishAlerts()), json.permissions(stack.fleetStats().stats()));
    }

    @Test
    void noWildcardActionsNoWildcardResourcesButListStreamsAndNoManagedPolicies() {
        String statsRole = logicalId(stack.fleetStats().stats().role());
        String fanoutRole = logicalId(stack.liveUpdates().fanout().role());
        // The CDK-managed dashboard deployment handler is excluded (DashboardHostingTest, its IAM4/IAM5 reasons).
        for (Map.Entry<String, Map<String, Object>> entry : json.ofType("AWS::IAM::Policy").entrySet()) {
            if (TemplateJson.isCdkManaged(entry.getKey())) {
                continue;
            }
            Map<String, Object> policy = entry.getValue();
            for (Map<String, Object> statement : TemplateJson.statements(policy)) {
                for (Object action : asList(statement.get("Action"))) {
                    assertFalse(String.valueOf(action).contains("*"), "wildcard action " + action);
                }
                for (Object resource : asList(statement.get("Resource"))) {
                    if (TemplateJson.describe(resource).contains("*")) {
                        // ListStreams (no resource-level permission) for the stream consumers; the live fan-out's
                        // ManageConnections on its own WebSocket stage's @connections/* (ids unknown in advance).
                        Object roles = TemplateJson.props(policy).get("Roles");
                        if ("execute-api:ManageConnections".equals(statement.get("Action"))) {
                            assertEquals(List.of(Map.of("Ref", fanoutRole)), roles);
                            assertTrue(TemplateJson.describe(resource).contains(logicalId(stack.liveUpdates().socketApi())),
                                    "ManageConnections on the live WebSocket API only: " + resource);
                            continue;
                        }
                        assertEquals("dynamodb:ListStreams", statement.get("Action"), "wildcard resource " + statement);
                        assertTrue(List.of(Map.of("Ref", statsRole)).equals(roles)
                                || List.of(Map.of("Ref", fanoutRole)).equals(roles), String.valueOf(roles));
                    }
                }
            }
        }
        json.ofType("AWS::IAM::Role").forEach((id, role) -> {
            if (!TemplateJson.isCdkManaged(id)) {
                assertNull(TemplateJson.props(role).get("ManagedPolicyArns"), "roles carry no managed policies");
            }
        });
    }

    // ---------------------------------------------------------------- API (routes: RoutesMatchCodeTest)

    @Test
    void apiIsHttpWithPayloadV2LambdaProxyIntegrationsOnLiveAliases() {
        // Two APIs: this HTTP API and the live-updates WebSocket API (LiveUpdatesStackTest); 5 HTTP integrations
        // and the WebSocket API's two ($connect, $disconnect).
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 2);
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP",
                "CorsConfiguration", Match.absent()));
        template.resourceCountIs("AWS::ApiGatewayV2::Integration", 5 + 2);
        for (LiveFunction live : List.of(stack.ingest().ingest(), stack.query().query(), stack.admin().admin(),
                stack.auth().auth(), stack.liveUpdates().ticket())) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                    "IntegrationType", "AWS_PROXY",
                    "PayloadFormatVersion", "2.0",
                    "IntegrationUri", ref(live.alias())));
        }
    }

    @Test
    void defaultStageThrottlesAndWritesAccessLogsAndWaitsForEveryRoute() throws IOException {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100),
                "RouteSettings", Match.objectLike(Map.of(
                        "POST /v1/sync-events", Map.of("throttlingRateLimit", 50, "throttlingBurstLimit", 100),
                        "GET /health", Map.of("throttlingRateLimit", 5, "throttlingBurstLimit", 10),
                        "POST /v1/auth/login", Map.of("throttlingRateLimit", 5, "throttlingBurstLimit", 10))),
                "AccessLogSettings", Match.objectLike(Map.of(
                        "DestinationArn", getAtt(logicalId(stack.ingest().accessLogs()), "Arn"),
                        "Format", Match.stringLikeRegexp(".*\\$context\\.requestId.*")))));
        // Paid per byte on every upload: a typical line stays under 160 bytes.
        Map<String, String> typical = Map.of("requestId", "JaQiTjf8iAMEbQw=",
                "identity.sourceIp", "203.0.113.250", "routeKey", "POST /v1/sync-events", "status", "202",
                "responseLatency", "27", "integrationStatus", "200", "integrationErrorMessage", "-",
                "error.message", "-");
        String line = Pattern.compile("\\$context\\.([A-Za-z.]+)").matcher(Ingest.ACCESS_LOG_FORMAT)
                .replaceAll(m -> Matcher.quoteReplacement(
                        Objects.requireNonNull(typical.get(m.group(1)), "no typical value for " + m.group())));
        assertTrue(line.length() <= 140, line.length() + " bytes: " + line);
        assertEquals(8, new ObjectMapper().readTree(line).size(), line);
        // The stage's route settings name routes that must exist first.
        List<?> dependsOn = (List<?>) json.resource(stack.ingest().stage()).get("DependsOn");
        assertEquals(23 + 4 /* v1.1 sites: at-risk, sites list, site get and put */ + 1 /* live ticket */
                + 5 /* v1.1 incidents list and get, subscriptions create, list and delete */
                + 3 /* v1.1 audit list and export, PATCH users */ + 3 /* v1.1 TOTP: login/totp, totp/setup, totp/verify */
                + 2 /* TOTP off: totp/disable, DELETE users/{username}/totp */,
                stack.ingest().routes().size());
        for (var route : stack.ingest().routes()) {
            assertTrue(dependsOn.contains(logicalId(route)), "stage depends on " + logicalId(route));
        }
    }

    // ---------------------------------------------------------------- alerts + monitoring

    @Test
    void alertsTopicIsKmsEncryptedWithARotatedKeyAndTlsOnly() {
        String topic = logicalId(stack.alerts().topic());
        assertEquals(getAtt(logicalId(stack.alerts().key()), "Arn"), json.props(topic).get("KmsMasterKeyId"));
        assertEquals(true, json.props(stack.alerts().key()).get("EnableKeyRotation"));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(Map.of("Ref", topic)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "sns:Publish",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        template.resourceCountIs("AWS::SNS::Subscription", 0); // no -c alertEmail / operatorEmail in dev
    }

    @Test
    void alarmsCoverDlqBacklogEveryFunctionApiStreamAndTablesAndNotifyOperators() {
        // 1 API + 7 functions × (errors, throttles) + 2 queue + 1 iterator age + 5 tables
        template.resourceCountIs("AWS::CloudWatch::Alarm", 23 + 1 /* v1.1 sites table throttles */
                + 3 /* v1.1 incidents, audit and live tables throttles */
                + 3 * 3 /* live functions: errors, throttles, duration */);
        String operatorTopic = logicalId(stack.monitoring().operatorTopic());
        for (Map<String, Object> alarm : json.ofType("AWS::CloudWatch::Alarm").values()) {
            Map<String, Object> p = TemplateJson.props(alarm);
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
        for (Object[] f : functions()) {
            LiveFunction live = (LiveFunction) f[0];
            for (String metric : List.of("Errors", "Throttles")) {
                template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                        "Namespace", "AWS/Lambda", "MetricName", metric, "Threshold", 1,
                        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(live.function()))))));
            }
        }
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/Lambda", "MetricName", "IteratorAge", "Statistic", "Maximum",
                "Threshold", 600_000, "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(stack.fleetStats().stats().function()))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/ApiGateway", "MetricName", "5xx")));
        String alarms = template.findResources("AWS::CloudWatch::Alarm").toString();
        for (Table table : stack.storage().all()) {
            assertTrue(alarms.contains("WriteThrottleEvents") && alarms.contains("ReadThrottleEvents")
                    && alarms.contains(logicalId(table)), "throttle alarm for " + logicalId(table));
        }
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }

    @Test
    void dashboardHasARowPerFunction() {
        String body = TemplateJson.describe(json.props(stack.monitoring().dashboard()).get("DashboardBody"));
        for (String label : List.of("Ingest", "Processor", "Query", "Admin", "Auth", "Sweeper", "FleetStats")) {
            assertTrue(body.contains(label + " invocations / errors / throttles"), label);
        }
        assertTrue(body.contains("FleetStats iterator age"), "iterator age graph");
    }

    @Test
    void operatorTopicIsEncryptedWithAKeyCloudWatchMayUse() {
        String key = logicalId(stack.monitoring().operatorTopic().getMasterKey());
        assertEquals(getAtt(key, "Arn"), json.props(stack.monitoring().operatorTopic()).get("KmsMasterKeyId"));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of(
                "EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))))));
    }

    @Test
    void outputsNameTheEndpoints() {
        for (String output : List.of("ApiUrl", "AlertsTopicArn", "QueueUrl", "DlqUrl", "OperatorTopicArn", "DashboardName",
                "UserPoolId", "UserPoolClientId", "DashboardUrl")) {
            template.hasOutput(output, Match.objectLike(Map.of("Value", Match.anyValue())));
        }
        template.hasOutput("QueueUrl", Map.of("Value", ref(stack.processing().queue()), "Description", Match.anyValue()));
        template.hasOutput("DlqUrl", Map.of("Value", ref(stack.processing().deadLetterQueue()),
                "Description", Match.anyValue()));
        template.hasOutput("UserPoolId", Map.of("Value", ref(stack.identity().userPool()), "Description", Match.anyValue()));
        template.hasOutput("UserPoolClientId", Map.of("Value", ref(stack.identity().client()),
                "Description", Match.anyValue()));
    }
}
