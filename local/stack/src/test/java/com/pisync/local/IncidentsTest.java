package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.sweeper.OfflineSweep;
import com.pisync.testbed.StreamPoller;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Site incidents (contract v1.1) through the local stack: a site-wide outage of 40 devices opens one incident
 * and resolves it, one SNS message each and none per device; redelivered stream batches change nothing.
 */
class IncidentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "school-out";
    private static final int DEVICES = 40;

    private final Pipeline p = new Pipeline();
    private final LocalPiSync api = p.stack;
    /** Every delivery of the devices stream the stats function got, to deliver them again. */
    private final List<DynamodbEvent> delivered = new ArrayList<>();
    private final StreamPoller devicesStream = StreamPoller.forTable(p.dynamo,
            StreamPoller.localStreamsClient(TestBed.shared().dynamoDb().endpoint()), p.config.devicesTable(), e -> {
                delivered.add(e);
                return api.statsHandler().handleRequest(e, null);
            }, 1000);
    private int eventMinute;

    @BeforeAll
    static void spec() throws Exception {
        OpenApiContractTest.readSpec(); // responses are checked against the OpenAPI document too
    }

    private JsonNode checked(String template, String path, int status) throws Exception {
        APIGatewayV2HTTPResponse r = api.call("GET", path, null);
        assertEquals(status, r.getStatusCode(), r.getBody());
        OpenApiContractTest.check("GET", template, r);
        return JSON.readTree(r.getBody());
    }

    private static String id(int i) {
        return String.format("pibook-o%02d", i);
    }

    private void upload(String device, int errors) {
        Instant now = p.clock.instant();
        String event = "{\"device_id\":\"" + device + "\",\"timestamp\":\"" + now.minusSeconds(600).plusSeconds(eventMinute++)
                + "\",\"total_files_synced\":3,\"total_errors\":" + errors + ",\"internet_speed\":2.5"
                + (errors > 0 ? ",\"error_code\":\"E_NET\",\"error_message\":\"school network down\"" : "") + "}";
        APIGatewayV2HTTPResponse r = api.call("POST", "/v1/sync-events", event);
        assertEquals(202, r.getStatusCode(), r.getBody());
    }

    private List<JsonNode> published() {
        return api.publishedAlerts();
    }

    private static List<String> types(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("type").asText()).toList();
    }

    @Test
    void aSiteWideOutageIsOneIncidentNotFortyAlerts() throws Exception {
        for (int i = 0; i < DEVICES; i++) {
            api.json("POST", "/v1/devices", "{\"device_id\":\"" + id(i) + "\",\"name\":\"Tablet " + i + "\",\"type\":\"PiBook\",\"site\":\"" + SITE
                    + "\"}", 201);
            upload(id(i), 0);
        }
        api.json("POST", "/v1/devices", "{\"device_id\":\"pibox-ok\",\"name\":\"Hub\",\"type\":\"PiBox\",\"site\":\"school-ok\"}", 201);
        upload("pibox-ok", 0);
        assertEquals(0, p.drain());
        devicesStream.drain();
        assertEquals(List.of(), published());
        assertEquals(0, api.json("GET", "/v1/incidents", null, 200).get("items").size());

        // The school's network goes down: nothing is heard from it for more than a day.
        p.clock.set(p.clock.instant().plus(Duration.ofHours(25)));
        OfflineSweep sweep = new OfflineSweep(p.dynamo, new DeviceStore(p.dynamo, p.config.devicesTable()), p.config,
                p.clock);
        assertEquals(DEVICES + 1, sweep.sweep(p.clock.instant(), () -> Long.MAX_VALUE).markedOffline());
        devicesStream.drain();

        List<JsonNode> opened = published();
        assertEquals(List.of("site.incident_opened"), types(opened), opened.toString());
        JsonNode attributes = opened.get(0).get("_attributes");
        assertEquals("site.incident_opened", attributes.get("type").get("Value").asText());
        assertEquals(SITE, attributes.get("site").get("Value").asText());
        String incidentId = opened.get(0).get("incident_id").asText();

        JsonNode open = checked("/v1/incidents", "/v1/incidents?state=open", 200).get("items");
        assertEquals(1, open.size(), open.toString());
        assertEquals(incidentId, open.get(0).get("incident_id").asText());
        assertEquals(SITE, open.get(0).get("site").asText());
        assertEquals("open", open.get(0).get("state").asText());
        assertEquals(DEVICES, open.get(0).get("devices_affected").asInt());
        assertEquals(DEVICES, open.get(0).get("devices_active").asInt());
        assertEquals(DEVICES, open.get(0).get("peak_affected").asInt());
        assertTrue(open.get(0).get("resolved_at").isNull());
        JsonNode detail = checked("/v1/incidents/{incident_id}", "/v1/incidents/" + incidentId, 200);
        Set<String> ids = new TreeSet<>();
        detail.get("devices").forEach(d -> ids.add(d.asText()));
        assertEquals(DEVICES, ids.size(), detail.toString());
        assertTrue(ids.contains(id(0)) && !ids.contains("pibox-ok"));
        assertEquals(incidentId, checked("/v1/sites/{site}", "/v1/sites/" + SITE, 200).get("open_incident")
                .get("incident_id").asText());
        assertTrue(api.json("GET", "/v1/sites/school-ok", null, 200).get("open_incident").isNull());

        // Part of the school comes back failing: the alerts open, filed under the incident, not published.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3; i++) {
                upload(id(i), 2);
            }
            assertEquals(0, p.drain());
        }
        assertEquals(List.of(), published());
        JsonNode alerts = checked("/v1/alerts", "/v1/alerts?site=" + SITE + "&state=open", 200).get("items");
        assertEquals(3, alerts.size(), alerts.toString());
        alerts.forEach(a -> assertEquals(incidentId, a.get("incident_id").asText(), a.toString()));
        devicesStream.drain();
        assertEquals(List.of(), published());

        // The network is back: every device syncs; the alerts resolve quietly and the incident resolves.
        for (int i = 0; i < DEVICES; i++) {
            upload(id(i), 0);
        }
        assertEquals(0, p.drain());
        assertEquals(List.of(), published());
        devicesStream.drain();
        List<JsonNode> resolved = published();
        assertEquals(List.of("site.incident_resolved"), types(resolved), resolved.toString());
        assertEquals(incidentId, resolved.get(0).get("incident_id").asText());
        assertEquals(SITE, resolved.get(0).get("_attributes").get("site").get("Value").asText());

        JsonNode all = checked("/v1/incidents", "/v1/incidents?site=" + SITE, 200).get("items");
        assertEquals(1, all.size());
        assertEquals("resolved", all.get(0).get("state").asText());
        assertFalse(all.get(0).get("resolved_at").isNull());
        assertEquals(DEVICES, all.get(0).get("peak_affected").asInt());
        assertEquals(0, all.get(0).get("devices_affected").asInt());
        assertEquals(0, api.json("GET", "/v1/incidents?state=open", null, 200).get("items").size());
        assertTrue(api.json("GET", "/v1/sites/" + SITE, null, 200).get("open_incident").isNull());
        api.json("GET", "/v1/alerts?site=" + SITE + "&state=resolved", null, 200).get("items")
                .forEach(a -> assertEquals(incidentId, a.get("incident_id").asText(), a.toString()));

        // Lambda delivers every batch of the devices stream again: no transition, no message, no second incident.
        List<DynamodbEvent> again = List.copyOf(delivered);
        for (DynamodbEvent e : again) {
            assertTrue(api.statsHandler().handleRequest(e, null).getBatchItemFailures().isEmpty());
        }
        assertEquals(List.of(), published());
        assertEquals(1, api.json("GET", "/v1/incidents", null, 200).get("items").size());
        JsonNode fleet = api.json("GET", "/v1/stats/fleet", null, 200).get("devices"); // counted once each
        assertEquals(DEVICES, fleet.get("healthy").asInt(), fleet.toString());
        assertEquals(1, fleet.get("offline").asInt(), fleet.toString());
    }

    @Test
    void aTransitionWhoseMessageCouldNotBePublishedIsPublishedOnceWhenTheBatchIsRetried() throws Exception {
        for (int i = 0; i < 4; i++) {
            api.json("POST", "/v1/devices", "{\"device_id\":\"" + id(i) + "\",\"name\":\"Tablet " + i
                    + "\",\"type\":\"PiBook\",\"site\":\"school-retry\"}", 201);
            upload(id(i), 0);
        }
        assertEquals(0, p.drain());
        devicesStream.drain();
        p.clock.set(p.clock.instant().plus(Duration.ofHours(25)));
        new OfflineSweep(p.dynamo, new DeviceStore(p.dynamo, p.config.devicesTable()), p.config, p.clock)
                .sweep(p.clock.instant(), () -> Long.MAX_VALUE);
        DynamodbEvent outage = new DynamodbEvent();
        outage.setRecords(devicesStream.peekAll());

        // SNS is down: the incident opens (state moved, message pending) and the batch is reported failed.
        p.faults.failWhile("Sns.Publish", r -> true);
        assertFalse(api.statsHandler().handleRequest(outage, null).getBatchItemFailures().isEmpty());
        p.faults.stopFailing("Sns.Publish");
        assertEquals(List.of(), published());
        assertEquals(1, api.json("GET", "/v1/incidents?site=school-retry&state=open", null, 200).get("items").size());

        // Lambda retries the batch: the pending message goes out, once; a third delivery sends nothing.
        assertTrue(api.statsHandler().handleRequest(outage, null).getBatchItemFailures().isEmpty());
        assertEquals(List.of("site.incident_opened"), types(published()));
        assertTrue(api.statsHandler().handleRequest(outage, null).getBatchItemFailures().isEmpty());
        assertEquals(List.of(), published());
        JsonNode site = api.json("GET", "/v1/sites/school-retry", null, 200);
        assertEquals(4, site.get("open_incident").get("devices_affected").asInt(), site.toString());
        assertEquals(4, site.get("devices").get("offline").asInt(), site.toString()); // counted once
    }

    @Test
    void incidentRoutesCheckTheirInput() throws Exception {
        APIGatewayV2HTTPResponse r = api.call("GET", "/v1/incidents?state=closed", null);
        assertEquals(400, r.getStatusCode(), r.getBody());
        OpenApiContractTest.check("GET", "/v1/incidents", r);
        checked("/v1/incidents/{incident_id}", "/v1/incidents/inc_000000000000000000000000", 404);
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        assertTrue(JSON.readTree(r.getBody()).get("errors").findValuesAsText("field").contains("state"));
        r = api.call("GET", "/v1/incidents?limit=0", null);
        assertEquals(400, r.getStatusCode(), r.getBody());
        assertEquals(404, api.call("GET", "/v1/incidents/inc_000000000000000000000000", null).getStatusCode());
        assertEquals(404, api.call("GET", "/v1/incidents/nope", null).getStatusCode());
        assertEquals(400, api.call("GET", "/v1/incidents?cursor=forged", null).getStatusCode());
    }
}
