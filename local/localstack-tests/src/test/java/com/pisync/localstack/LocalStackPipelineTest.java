package com.pisync.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.local.LocalPiSync;
import com.pisync.local.LocalServers;
import com.pisync.testbed.LocalClients;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The pipeline against LocalStack instead of our stand-ins (ElasticMQ, fauxqs, the local DynamoDB): ingest →
 * SQS → processor → DynamoDB, a failure streak opening an alert published through SNS to a subscribed SQS
 * queue, and a redelivered batch stored once. The same handlers and {@link LocalPiSync} wiring as local/stack's
 * tests; only the servers differ. Opt-in ({@code -Plocalstack}); skipped where no Docker engine answers.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackPipelineTest {

    /** Pinned: a LocalStack upgrade is a deliberate change, like any dependency. */
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4.0");

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(IMAGE).withServices("dynamodb", "sqs", "sns");

    /** One endpoint for every service; SNS delivers into LocalStack's own SQS. */
    private static LocalServers servers() {
        URI endpoint = LOCALSTACK.getEndpoint();
        SqsClient sqs = LocalClients.sqs(endpoint);
        SnsClient sns = LocalClients.sns(endpoint);
        return new LocalServers() {
            @Override
            public URI dynamoDbEndpoint() {
                return endpoint;
            }

            @Override
            public URI sqsEndpoint() {
                return endpoint;
            }

            @Override
            public URI snsEndpoint() {
                return endpoint;
            }

            @Override
            public String subscribeQueue(String topicArn, String queueName) {
                String url = sqs.createQueue(r -> r.queueName(queueName)).queueUrl();
                String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(arn));
                return url;
            }

            @Override
            public SqsClient subscriptionReader() {
                return sqs;
            }
        };
    }

    private static String streak(String device) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 1; i <= 3; i++) {
            body.append(i == 1 ? "" : ",").append("{\"device_id\":\"").append(device).append("\",\"event_id\":\"e")
                    .append(i).append("\",\"timestamp\":\"2026-11-01T08:0").append(i)
                    .append(":00Z\",\"total_files_synced\":0,\"total_errors\":1,\"internet_speed\":1.0}");
        }
        return body.append("]}").toString();
    }

    @Test
    void uploadIsStoredOnceAndItsAlertPublished() {
        LocalPiSync stack = new LocalPiSync(servers(), new LocalPiSync.Settings().clock(Clock.systemUTC()));
        assertEquals(202, stack.call("POST", "/v1/sync-events", streak("ls-1")).getStatusCode());

        var messages = stack.receive(10);
        assertTrue(!messages.isEmpty(), "the upload reached SQS");
        assertEquals(List.of(), stack.deliver(messages).getBatchItemFailures());
        assertEquals(List.of(), stack.deliver(messages).getBatchItemFailures(), "a redelivery is harmless");

        DeviceRecord device = new DeviceStore(stack.dynamo, stack.config.devicesTable()).load("ls-1");
        assertEquals(3, device.state().totalSyncs(), "stored once");
        assertNotNull(device.state().openAlert());
        List<JsonNode> alerts = stack.publishedAlerts();
        assertEquals(1, alerts.size());
        assertEquals("device.failure_streak", alerts.get(0).path("type").asText());
        JsonNode page = stack.json("GET", "/v1/devices/ls-1", null, 200);
        assertEquals("failing", page.path("status").asText(), page.toString());
    }
}
