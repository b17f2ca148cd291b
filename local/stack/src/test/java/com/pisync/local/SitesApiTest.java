package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.sweeper.OfflineSweep;
import com.pisync.sweeper.SweepResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Contract v1.1 through the local stack: sites and their profiles, calendar-aware offline (processor,
 * site re-evaluation, sweeper), data at risk and the event field {@code oldest_pending_at}.
 */
class SitesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fixed upload time of {@link Pipeline#post}: Sunday 1 Nov 2026, 08:03:01 UTC. */
    private static final Instant SEEN = Instant.parse("2026-11-01T08:03:01Z");
    private final Pipeline p = new Pipeline();
    private final LocalPiSync api = p.stack;

    private void register(String id, String site) {
        api.json("POST", "/v1/devices", "{\"device_id\":\"" + id + "\",\"name\":\"Tablet " + id
                + "\",\"type\":\"PiBook\",\"site\":\"" + site + "\"}", 201);
    }

    private void upload(String id, int minute, Long pending, String oldestPendingAt) {
        String event = "{\"device_id\":\"" + id + "\",\"timestamp\":\"" + Instant.parse("2026-11-01T08:00:00Z")
                .plusSeconds(60L * minute) + "\",\"total_files_synced\":3,\"total_errors\":0,\"internet_speed\":2.5"
                + (pending == null ? "" : ",\"pending_files\":" + pending)
                + (oldestPendingAt == null ? "" : ",\"oldest_pending_at\":\"" + oldestPendingAt + "\"") + "}";
        APIGatewayV2HTTPResponse r = p.post(event);
        assertEquals(202, r.getStatusCode(), r.getBody());
        assertEquals(0, p.drain());
    }

    private static void assertProblem(APIGatewayV2HTTPResponse r, int status, String field) throws Exception {
        assertEquals(status, r.getStatusCode(), r.getBody());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        if (field != null) {
            assertTrue(JSON.readTree(r.getBody()).get("errors").findValuesAsText("field").contains(field), r.getBody());
        }
    }

    private static final String NAIROBI = "{\"name\":\"Nairobi Primary 4\",\"timezone\":\"Africa/Nairobi\","
            + "\"school_days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],\"school_hours\":{\"from\":\"08:00\","
            + "\"to\":\"15:00\"},\"offline_after_hours\":7";

    @Test
    void aSiteExistsOnceADeviceNamesItAndTakesAFullyValidatedProfile() throws Exception {
        assertProblem(api.call("GET", "/v1/sites/school-a", null), 404, null);
        register("pibook-a1", "school-a");
        register("pibook-a2", "school-a");
        api.runStats();
        JsonNode site = api.json("GET", "/v1/sites/school-a", null, 200);
        assertEquals("school-a", site.get("site").asText());
        assertFalse(site.get("configured").asBoolean());
        assertEquals(24, site.get("offline_after_hours").asDouble());
        assertEquals(0.5, site.get("incident_ratio").asDouble());
        assertEquals(3, site.get("incident_min_devices").asInt());
        assertEquals(7, site.get("school_days").size());
        assertTrue(site.get("school_hours").isNull());
        assertEquals(2, site.get("devices").get("never_synced").asInt());
        assertEquals(2, site.get("devices").get("total").asInt());
        assertTrue(site.get("open_incident").isNull());

        assertProblem(api.call("PUT", "/v1/sites/school-a", "{\"timezone\":\"Mars/Olympus\"}"), 400, "timezone");
        assertProblem(api.call("PUT", "/v1/sites/school-a",
                "{\"school_hours\":{\"from\":\"15:00\",\"to\":\"08:00\"}}"), 400, "school_hours");
        assertProblem(api.call("PUT", "/v1/sites/school-a", "{\"holidays\":[{\"from\":\"2026-12-24\",\"to\":"
                + "\"2027-01-01\"},{\"from\":\"2026-12-31\",\"to\":\"2027-01-02\"}]}"), 400, "holidays[1]");
        assertProblem(api.call("PUT", "/v1/sites/school-a", "{\"holidays\":[{\"from\":\"2027-01-02\",\"to\":"
                + "\"2027-01-01\"}]}"), 400, "holidays[0]");
        assertProblem(api.call("PUT", "/v1/sites/school-a", "{\"offline_after_hours\":0}"), 400, "offline_after_hours");
        assertProblem(api.call("PUT", "/v1/sites/school-a", "{\"incident_ratio\":1.2}"), 400, "incident_ratio");
        assertProblem(api.call("PUT", "/v1/sites/school-a", "{\"incident_min_devices\":1}"), 400, "incident_min_devices");
        assertProblem(api.call("PUT", "/v1/sites/school-a", "{\"school_days\":[\"mon\",\"someday\"]}"), 400,
                "school_days[1]");
        assertProblem(api.call("PUT", "/v1/sites/school-a", "[1]"), 400, "body");
        assertProblem(api.call("PUT", "/v1/sites/%20padded", "{}"), 400, "site");

        JsonNode put = api.json("PUT", "/v1/sites/school-a", NAIROBI + ",\"holidays\":[{\"from\":\"2026-12-19\","
                + "\"to\":\"2027-01-04\",\"name\":\"December\"}]}", 200);
        assertTrue(put.get("configured").asBoolean());
        assertEquals("Africa/Nairobi", put.get("timezone").asText());
        assertEquals("08:00", put.get("school_hours").get("from").asText());
        assertEquals("2027-01-04", put.get("holidays").get(0).get("to").asText());
        assertEquals(7, put.get("offline_after_hours").asDouble());
        assertEquals(put.get("name"), api.json("GET", "/v1/sites/school-a", null, 200).get("name"));
        // A site may be set up before any device names it.
        assertEquals(0, api.json("PUT", "/v1/sites/school-new", "{}", 200).get("devices").get("total").asInt());
        api.json("GET", "/v1/sites/school-new", null, 200);
    }

    @Test
    void siteListPagesThroughEverySiteOnceInIdOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String site = String.format("site-%02d", (i * 7) % 23);
            expected.add(site);
            if (i % 2 == 0) {
                api.json("PUT", "/v1/sites/" + site, "{}", 200);
            } else {
                register("pibook-s" + i, site);
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.json("GET", "/v1/sites?limit=5" + (cursor == null ? "" : "&cursor="
                    + LocalPiSync.encode(cursor)), null, 200);
            page.get("items").forEach(s -> seen.add(s.get("site").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 20);
        assertEquals(expected.stream().sorted().toList(), seen);
        assertEquals(400, api.call("GET", "/v1/sites?cursor=forged.cursor", null).getStatusCode());
    }

    @Test
    void aProcessorHoldingACachedProfileTimesTheNextSyncByTheEditedCalendar() throws Exception {
        register("pibook-c1", "school-c");
        api.json("PUT", "/v1/sites/school-c", NAIROBI + "}", 200);
        upload("pibook-c1", 0, null, null); // the processor reads the profile and keeps it (SiteCalendars.cached)
        assertEquals("2026-11-02T12:00:00Z", api.json("GET", "/v1/devices/pibook-c1", null, 200).get("offline_at").asText());

        // Two school hours instead of seven; the processor's copy is seconds old, the device carries the new version.
        api.json("PUT", "/v1/sites/school-c", NAIROBI.replace("\"offline_after_hours\":7", "\"offline_after_hours\":2")
                + "}", 200);
        upload("pibook-c1", 1, null, null);
        assertEquals("2026-11-02T07:00:00Z", api.json("GET", "/v1/devices/pibook-c1", null, 200).get("offline_at").asText(),
                "timed by the edited calendar, not the cached one");

        // The same calendar again (a new updated_at only) stamps nothing and changes nothing.
        assertEquals("0", api.call("PUT", "/v1/sites/school-c", NAIROBI.replace("\"offline_after_hours\":7",
                "\"offline_after_hours\":2") + "}").getHeaders().get("X-PiSync-Devices-Reevaluated"));
        upload("pibook-c1", 2, null, null);
        assertEquals("2026-11-02T07:00:00Z", api.json("GET", "/v1/devices/pibook-c1", null, 200).get("offline_at").asText());
    }

    @Test
    void offlineCountsSchoolTimeOnlyAndFollowsProfileEdits() throws Exception {
        register("pibook-n1", "school-n");
        register("pibook-x1", "school-x"); // a site without calendar: 24 h of silence, as in v1
        api.json("PUT", "/v1/sites/school-n", NAIROBI + "}", 200);
        upload("pibook-n1", 0, null, null);
        upload("pibook-x1", 0, null, null);
        // Seen on Sunday: the 7 school hours run on Monday 2 Nov, 08:00–15:00 Nairobi (05:00–12:00Z).
        JsonNode n1 = api.json("GET", "/v1/devices/pibook-n1", null, 200);
        assertEquals(SEEN.toString(), n1.get("last_seen_at").asText());
        assertEquals("2026-11-02T12:00:00Z", n1.get("offline_at").asText());
        assertEquals(SEEN.plusSeconds(24 * 3600).toString(),
                api.json("GET", "/v1/devices/pibook-x1", null, 200).get("offline_at").asText());

        p.clock.set(Instant.parse("2026-11-02T11:59:00Z"));
        assertEquals("healthy", api.json("GET", "/v1/devices/pibook-n1", null, 200).get("status").asText());
        assertEquals("offline", api.json("GET", "/v1/devices/pibook-x1", null, 200).get("status").asText());

        OfflineSweep sweep = new OfflineSweep(p.dynamo, new DeviceStore(p.dynamo, p.config.devicesTable()), p.config,
                p.clock);
        SweepResult tuesday = sweep.sweep(Instant.parse("2026-11-03T09:00:00Z"), () -> Long.MAX_VALUE);
        assertEquals(2, tuesday.markedOffline(), tuesday.fields().toString());
        p.clock.set(Instant.parse("2026-11-03T09:00:00Z"));
        assertEquals("offline", api.json("GET", "/v1/devices?status=offline&site=school-n", null, 200).get("items")
                .get(0).get("status").asText());

        // The admin declares the week a holiday while the device is silent: back to healthy, offline next Monday.
        APIGatewayV2HTTPResponse r = api.call("PUT", "/v1/sites/school-n", NAIROBI
                + ",\"holidays\":[{\"from\":\"2026-11-02\",\"to\":\"2026-11-06\",\"name\":\"mid-term\"}]}");
        assertEquals(200, r.getStatusCode(), r.getBody());
        assertEquals("1", r.getHeaders().get("X-PiSync-Devices-Reevaluated"));
        n1 = api.json("GET", "/v1/devices/pibook-n1", null, 200);
        assertEquals("2026-11-09T12:00:00Z", n1.get("offline_at").asText());
        assertEquals("healthy", n1.get("status").asText());
        assertEquals(1, api.json("GET", "/v1/devices?status=healthy&site=school-n", null, 200).get("items").size());
        // Repeating the PUT changes nothing; the sweep leaves the device alone until its new time.
        assertEquals("0", api.call("PUT", "/v1/sites/school-n", NAIROBI
                + ",\"holidays\":[{\"from\":\"2026-11-02\",\"to\":\"2026-11-06\",\"name\":\"mid-term\"}]}")
                .getHeaders().get("X-PiSync-Devices-Reevaluated"));
        assertEquals(0, sweep.sweep(Instant.parse("2026-11-06T09:00:00Z"), () -> Long.MAX_VALUE).markedOffline());
        assertEquals(1, sweep.sweep(Instant.parse("2026-11-09T13:00:00Z"), () -> Long.MAX_VALUE).markedOffline());

        // Moving a device to a calendar site times it by that calendar at once.
        JsonNode moved = api.json("PATCH", "/v1/devices/pibook-x1", "{\"site\":\"school-n\"}", 200);
        assertEquals("2026-11-09T12:00:00Z", moved.get("offline_at").asText());
    }

    @Test
    void dataAtRiskListsDevicesOldestFirstWithTheirPendingData() throws Exception {
        register("pibook-r1", "school-r");
        register("pibook-r2", "school-r");
        register("pibook-r3", "school-q");
        register("pibook-r4", "school-q");
        upload("pibook-r1", 0, 10L, "2026-10-30T08:00:00Z");
        upload("pibook-r2", 0, 50L, "2026-10-30T08:00:00Z"); // same age, more pending: first
        upload("pibook-r3", 0, 4L, "2026-10-31T20:00:00+03:00");
        upload("pibook-r4", 0, 0L, "2026-10-29T00:00:00Z"); // nothing pending: not at risk
        assertProblem(p.post("{\"device_id\":\"pibook-r4\",\"timestamp\":\"2026-11-01T08:00:00Z\","
                + "\"total_files_synced\":1,\"total_errors\":0,\"internet_speed\":1,\"oldest_pending_at\":"
                + "\"2026-11-01T09:00:00Z\"}"), 400, "oldest_pending_at");

        JsonNode r4 = api.json("GET", "/v1/devices/pibook-r4", null, 200);
        assertEquals("2026-10-29T00:00:00Z", r4.get("oldest_pending_at").asText());
        assertTrue(r4.get("data_at_risk_since").isNull());
        JsonNode r3 = api.json("GET", "/v1/devices/pibook-r3", null, 200);
        assertEquals("2026-10-31T17:00:00Z", r3.get("data_at_risk_since").asText());
        assertEquals("2026-10-31T17:00:00Z", api.json("GET", "/v1/devices/pibook-r3/sync-events", null, 200)
                .get("items").get(0).get("oldest_pending_at").asText());

        assertEquals(List.of("pibook-r2", "pibook-r1", "pibook-r3"), ids(api.json("GET", "/v1/devices/at-risk", null, 200)));
        assertEquals(List.of("pibook-r3"), ids(api.json("GET", "/v1/devices/at-risk?site=school-q", null, 200)));
        // Now is 1 Nov 09:00Z: r1 and r2 are at risk for 49 h, r3 for 16 h.
        assertEquals(List.of("pibook-r2", "pibook-r1"), ids(api.json("GET", "/v1/devices/at-risk?min_hours=24", null, 200)));
        assertEquals(3, ids(api.json("GET", "/v1/devices/at-risk?min_hours=0", null, 200)).size());
        assertEquals(0, ids(api.json("GET", "/v1/devices/at-risk?min_hours=100.5", null, 200)).size());

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.json("GET", "/v1/devices/at-risk?limit=1" + (cursor == null ? "" : "&cursor="
                    + LocalPiSync.encode(cursor)), null, 200);
            paged.addAll(ids(page));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null && paged.size() < 10);
        assertEquals(List.of("pibook-r2", "pibook-r1", "pibook-r3"), paged);

        for (String bad : List.of("-1", "abc", "1e3", "")) {
            if (!bad.isEmpty()) {
                assertProblem(api.call("GET", "/v1/devices/at-risk?min_hours=" + bad, null), 400, "min_hours");
            }
        }
        // Syncing its backlog takes the device off the list.
        upload("pibook-r2", 5, 0L, null);
        assertEquals(List.of("pibook-r1", "pibook-r3"), ids(api.json("GET", "/v1/devices/at-risk", null, 200)));
        // Decommissioned devices are not listed.
        assertEquals(204, api.call("DELETE", "/v1/devices/pibook-r1", null).getStatusCode());
        assertEquals(List.of("pibook-r3"), ids(api.json("GET", "/v1/devices/at-risk", null, 200)));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(d -> ids.add(d.get("device_id").asText()));
        return ids;
    }
}
