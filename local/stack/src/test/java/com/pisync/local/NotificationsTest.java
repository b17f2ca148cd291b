package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.LocalSns;
import com.pisync.testbed.TestBed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Contract v1.1 "Notifications people read" through the local stack: every alert is published per protocol
 * (JSON for machines, text for e-mail), and {@code /v1/subscriptions} subscribes e-mail addresses with a filter
 * policy. fauxqs accepts protocol {@code email} (pending confirmation, as SNS) but delivers nothing by e-mail,
 * so the filter policy a subscription gets is checked on an SQS subscription with the same policy.
 */
class NotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Pipeline p = new Pipeline();
    private final LocalPiSync api = p.stack;
    private int second;

    @BeforeAll
    static void spec() throws Exception {
        OpenApiContractTest.readSpec();
    }

    private void register(String id, String site) {
        api.json("POST", "/v1/devices", "{\"device_id\":\"" + id + "\",\"name\":\"Tablet " + id
                + "\",\"type\":\"PiBook\",\"site\":\"" + site + "\"}", 201);
    }

    private void sync(String id, int errors) {
        Instant t = Instant.parse("2026-11-01T08:00:00Z").plusSeconds(second++);
        APIGatewayV2HTTPResponse r = api.call("POST", "/v1/sync-events", "{\"device_id\":\"" + id + "\",\"timestamp\":\""
                + t + "\",\"total_files_synced\":3,\"total_errors\":" + errors + ",\"internet_speed\":2.5"
                + (errors > 0 ? ",\"error_code\":\"E_DISK\",\"error_message\":\"disk full\"" : "") + "}");
        assertEquals(202, r.getStatusCode(), r.getBody());
        assertEquals(0, p.drain());
    }

    private void streakThenRecovery(String id) {
        for (int i = 0; i < 3; i++) {
            sync(id, 1);
        }
        sync(id, 0);
    }

    @Test
    void everyAlertCarriesJsonForMachinesAndTextForPeople() throws Exception {
        register("pibook-n1", "school-n");
        streakThenRecovery("pibook-n1");
        List<JsonNode> envelopes = api.publishedEnvelopes();
        assertEquals(2, envelopes.size(), envelopes.toString());
        JsonNode failure = envelopes.get(0);
        String subject = failure.get("Subject").asText();
        assertTrue(subject.length() <= 100 && subject.contains("pibook-n1"), subject);
        JsonNode structure = JSON.readTree(failure.get("Message").asText());
        JsonNode machine = JSON.readTree(structure.get("default").asText());
        assertEquals("device.failure_streak", machine.get("type").asText());
        assertEquals(machine, JSON.readTree(structure.get("sqs").asText()));
        assertEquals(machine, JSON.readTree(structure.get("lambda").asText()));
        String email = structure.get("email").asText();
        assertTrue(email.contains("Device: pibook-n1 (site school-n)"), email);
        assertTrue(email.contains("Last error: E_DISK") || email.contains("Last error: disk full"), email);
        assertTrue(email.contains("Since: 2026-11-01T08:00:00Z"), email);
        assertTrue(email.contains("Dashboard: http://127.0.0.1:8080/#/devices/pibook-n1"), email);
        assertEquals("device.failure_streak", failure.get("MessageAttributes").get("type").get("Value").asText());
        assertEquals("school-n", failure.get("MessageAttributes").get("site").get("Value").asText());
        assertEquals("pibook-n1", failure.get("MessageAttributes").get("device_id").get("Value").asText());
        assertTrue(JSON.readTree(envelopes.get(1).get("Message").asText()).get("email").asText()
                .contains("recovered") || envelopes.get(1).get("Subject").asText().contains("recovered"));
    }

    @Test
    void subscriptionsSubscribeAnAddressWithAFilterPolicy() throws Exception {
        APIGatewayV2HTTPResponse r = api.call("POST", "/v1/subscriptions",
                "{\"email\":\"it@school.example\",\"sites\":[\"school-a\"],\"types\":[\"device.failure_streak\","
                        + "\"site.incident_opened\"]}");
        assertEquals(201, r.getStatusCode(), r.getBody());
        OpenApiContractTest.check("POST", "/v1/subscriptions", r);
        JsonNode sub = JSON.readTree(r.getBody());
        String id = sub.get("subscription_id").asText();
        assertEquals("it@school.example", sub.get("email").asText());
        assertEquals("[\"school-a\"]", sub.get("sites").toString());
        assertEquals("[\"device.failure_streak\",\"site.incident_opened\"]", sub.get("types").toString());
        assertEquals("pending_confirmation", sub.get("status").asText());

        // What SNS holds: protocol email on the alerts topic, the filter on the attributes site and type.
        String arn = api.config.alertsTopicArn() + ":" + id;
        Map<String, String> attributes = api.sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn)).attributes();
        assertEquals("email", attributes.get("Protocol"));
        assertEquals("it@school.example", attributes.get("Endpoint"));
        JsonNode policy = JSON.readTree(attributes.get("FilterPolicy"));
        assertEquals(JSON.readTree("{\"site\":[\"school-a\"],\"type\":[\"device.failure_streak\",\"site.incident_opened\"]}"),
                policy);

        APIGatewayV2HTTPResponse listed = api.call("GET", "/v1/subscriptions", null);
        OpenApiContractTest.check("GET", "/v1/subscriptions", listed);
        JsonNode list = JSON.readTree(listed.getBody()).get("items");
        assertEquals(1, list.size());
        assertEquals(id, list.get(0).get("subscription_id").asText());
        assertEquals("pending_confirmation", list.get(0).get("status").asText());

        // fauxqs sends no e-mail: the same policy on an SQS subscription shows what the address would receive.
        LocalSns sns = TestBed.shared().sns();
        String queue = sns.sqsClient().createQueue(b -> b.queueName("filtered-" + id)).queueUrl();
        String queueArn = sns.sqsClient().getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.client().subscribe(b -> b.topicArn(api.config.alertsTopicArn()).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("FilterPolicy", attributes.get("FilterPolicy"))));
        register("pibook-a1", "school-a");
        register("pibook-b1", "school-b");
        streakThenRecovery("pibook-a1");
        streakThenRecovery("pibook-b1");
        List<String> received = new ArrayList<>();
        for (List<Message> got; !(got = sns.sqsClient().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages()).isEmpty(); ) {
            for (Message m : got) {
                JsonNode body = JSON.readTree(LocalPiSync.sqsMessage(JSON.readTree(m.body()).get("Message").asText()));
                received.add(body.get("type").asText() + " " + body.get("device_id").asText());
                sns.sqsClient().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
        assertEquals(List.of("device.failure_streak pibook-a1"), received);

        // Another filter for the same address is a conflict; a bad body names its fields.
        r = api.call("POST", "/v1/subscriptions", "{\"email\":\"it@school.example\",\"sites\":[\"school-b\"]}");
        assertEquals(409, r.getStatusCode(), r.getBody());
        OpenApiContractTest.check("POST", "/v1/subscriptions", r);
        r = api.call("POST", "/v1/subscriptions", "{\"email\":\"not-an-address\",\"types\":[\"device.exploded\"],"
                + "\"sites\":[]}");
        assertEquals(400, r.getStatusCode(), r.getBody());
        OpenApiContractTest.check("POST", "/v1/subscriptions", r);
        JsonNode fields = JSON.readTree(r.getBody()).get("errors");
        List<String> named = fields.findValuesAsText("field");
        assertTrue(named.containsAll(List.of("email", "types[0]", "sites")), named.toString());

        r = api.call("DELETE", "/v1/subscriptions/" + id, null);
        assertEquals(204, r.getStatusCode());
        OpenApiContractTest.check("DELETE", "/v1/subscriptions/{subscription_id}", r);
        r = api.call("DELETE", "/v1/subscriptions/" + id, null);
        assertEquals(404, r.getStatusCode());
        OpenApiContractTest.check("DELETE", "/v1/subscriptions/{subscription_id}", r);
        assertEquals(0, api.json("GET", "/v1/subscriptions", null, 200).get("items").size());
        assertTrue(api.sns.listSubscriptionsByTopic(b -> b.topicArn(api.config.alertsTopicArn())).subscriptions()
                .stream().noneMatch(s -> s.subscriptionArn().equals(arn)));
        // The changes are in the audit log.
        JsonNode audit = api.json("GET", "/v1/audit?target_id=" + id, null, 200).get("items");
        assertNotNull(audit);
        assertEquals(2, audit.size(), audit.toString());
    }
}
