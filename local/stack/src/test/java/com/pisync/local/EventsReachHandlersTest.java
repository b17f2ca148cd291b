package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.pisync.admin.AdminHandler;
import com.pisync.auth.AuthHandler;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.http.Cursors;
import com.pisync.ingest.CommandInbox;
import com.pisync.ingest.DeviceAuthenticator;
import com.pisync.ingest.IngestHandler;
import com.pisync.ingest.SyncEventIngest;
import com.pisync.ingest.SyncEventQueue;
import com.pisync.processor.ProcessorHandler;
import com.pisync.query.QueryHandler;
import com.pisync.stats.StatsHandler;
import com.pisync.sweeper.OfflineSweepHandler;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample event under events/ parses as its Lambda event type and reaches a handler that
 * answers it (no unknown route, no 5xx), and every route the functions serve has a sample. The same
 * files are what `sam local invoke -e` is given.
 */
class EventsReachHandlersTest {

    private final Pipeline p = new Pipeline();

    @Test
    void everySampleEventReachesItsHandler() throws IOException {
        LocalCognito cognito = TestBed.shared().cognito();
        LocalCognito.UserPool pool = cognito.createPool("events-" + System.nanoTime());
        Cursors cursors = new Cursors("events-test-cursor-key-0123456789".getBytes(StandardCharsets.UTF_8));
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> byRoute = new HashMap<>();
        IngestHandler ingest = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.TRUST_BODY,
                SyncEventQueue.of(p.sqs, p.queueUrl),
                CommandInbox.of(new SyncRequestStore(p.dynamo, p.config.syncRequestsTable())), p.clock));
        IngestHandler.ROUTES.forEach(r -> byRoute.put(r, ingest));
        QueryHandler query = new QueryHandler(p.dynamo, p.config, cursors, p.clock);
        QueryHandler.ROUTES.forEach(r -> byRoute.put(r, query));
        AdminHandler admin = new AdminHandler(p.dynamo, p.stack.sns, p.config, p.stack.deviceTokens, p.clock);
        AdminHandler.ROUTES.forEach(r -> byRoute.put(r, admin));
        AuthHandler auth = new AuthHandler(cognito.client(), pool.poolId(), pool.clientId(), cursors, p.clock);
        AuthHandler.ROUTES.forEach(r -> byRoute.put(r, auth));

        Set<String> routesWithSamples = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> all = Files.walk(Path.of("../../events"))) {
            files = all.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 29, "samples found: " + files.size());
        for (Path file : files) {
            String kind = file.getParent().getFileName().toString();
            String name = file.toString();
            switch (kind) {
                case "ingest", "query", "admin", "auth" -> {
                    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(name);
                    var handler = byRoute.get(event.getRouteKey());
                    assertNotNull(handler, name + ": no function serves " + event.getRouteKey());
                    APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
                    assertTrue(response.getStatusCode() < 500, name + " → " + response.getStatusCode() + " "
                            + response.getBody());
                    assertTrue(response.getBody() == null || !response.getBody().contains("No route"), name);
                    routesWithSamples.add(event.getRouteKey());
                }
                case "processor" -> assertNotNull(new ProcessorHandler(p.dynamo, p.stack.sns, p.config, p.clock)
                        .handleRequest(EventLoader.loadSQSEvent(name), null), name);
                case "sweeper" -> assertTrue(new OfflineSweepHandler(p.dynamo, p.stack.sns, p.config, p.clock)
                        .handleRequest(EventLoader.loadScheduledEvent(name), null).contains("checked"), name);
                case "stats" -> assertNotNull(new StatsHandler(p.dynamo, p.config, p.clock)
                        .handleRequest(EventLoader.loadDynamoDbEvent(name), null), name);
                default -> throw new AssertionError(name + ": no handler kind for folder '" + kind + "'");
            }
        }
        assertEquals(new TreeSet<>(byRoute.keySet()), routesWithSamples, "every route has a sample event");
    }

    @Test
    void samconfigNamesTheTemplateCdkSynthWrites() throws IOException {
        String samconfig = Files.readString(Path.of("../../samconfig.toml"));
        // StageConfig names the stack PiSync-<stage> (default dev); cdk writes <stack>.template.json to cdk.out.
        assertTrue(samconfig.contains("template_file = \"cdk.out/PiSync-dev.template.json\""), samconfig);
        assertTrue(samconfig.contains("stack_name = \"PiSync-dev\""), samconfig);
        String stage = Files.readString(Path.of("../../infra/src/main/java/com/pisync/infra/StageConfig.java"));
        assertTrue(stage.contains("return \"PiSync-\" + stage;"), "StageConfig still names stacks PiSync-<stage>");
        String cdk = Files.readString(Path.of("../../cdk.json"));
        assertTrue(cdk.contains("\"output\": \"cdk.out\""), cdk);
    }
}
