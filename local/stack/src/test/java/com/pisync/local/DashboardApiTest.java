package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every dashboard route through the local stack: the real handlers on the DynamoDB engine. */
class DashboardApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Pipeline p = new Pipeline();
    private final LocalPiSync api = p.stack;

    private JsonNode register(String id, String name, String type, String site) {
        return api.json("POST", "/v1/devices", "{\"device_id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\""
                + type + "\",\"site\":\"" + site + "\",\"tags\":[\"grade-4\"]}", 201);
    }

    /** A device reports syncs at these minutes after 08:00 on 1 Nov 2026 (true = failed). */
    private void sync(String id, int minute, boolean failed) {
        assertEquals(202, p.post(SyncPipelineTest.event(id, minute, failed)).getStatusCode());
    }

    private static void assertProblem(APIGatewayV2HTTPResponse r, int status, String field) throws Exception {
        assertEquals(status, r.getStatusCode(), r.getBody());
        assertEquals("application/problem+json", r.getHeaders().get("Content-Type"));
        JsonNode body = JSON.readTree(r.getBody());
        assertEquals(status, body.get("status").asInt());
        if (field != null) {
            assertTrue(body.get("errors").findValuesAsText("field").contains(field), r.getBody());
        }
        assertFalse(r.getBody().contains("Exception"), r.getBody());
    }

    @Test
    void registryCreateGetPatchDecommissionAndRotate() throws Exception {
        JsonNode created = register("pibook-100", "Reading tablet 100", "PiBook", "school-nairobi-04");
        assertTrue(created.get("device_token").asText().startsWith("pdt."));
        JsonNode device = created.get("device");
        assertEquals("never_synced", device.get("status").asText());
        assertEquals("school-nairobi-04", device.get("site").asText());
        assertEquals("grade-4", device.get("tags").get(0).asText());
        assertTrue(device.get("last_sync_at").isNull());

        assertProblem(api.call("POST", "/v1/devices",
                "{\"device_id\":\"pibook-100\",\"name\":\"x\",\"type\":\"PiBook\",\"site\":\"s\"}"), 409, null);
        assertProblem(api.call("POST", "/v1/devices", "{\"device_id\":\"bad id\",\"type\":\"\"}"), 400, "device_id");
        assertProblem(api.call("POST", "/v1/devices", "{\"device_id\":\"failing\",\"name\":\"n\",\"type\":\"PiBox\",\"site\":\"s\"}"),
                400, "device_id");
        assertProblem(api.call("POST", "/v1/devices", "{\"device_id\":\"d\"}"), 400, "name");

        assertEquals("Reading tablet 100", api.json("GET", "/v1/devices/pibook-100", null, 200).get("name").asText());
        assertProblem(api.call("GET", "/v1/devices/nobody", null), 404, null);

        JsonNode patched = api.json("PATCH", "/v1/devices/pibook-100", "{\"site\":\"school-mombasa-01\",\"tags\":[]}", 200);
        assertEquals("school-mombasa-01", patched.get("site").asText());
        assertEquals(0, patched.get("tags").size());
        assertEquals("Reading tablet 100", patched.get("name").asText());
        assertProblem(api.call("PATCH", "/v1/devices/pibook-100", "{\"status\":\"healthy\"}"), 400, "status");
        assertProblem(api.call("PATCH", "/v1/devices/pibook-100", "{}"), 400, "body");
        assertProblem(api.call("PATCH", "/v1/devices/nobody", "{\"name\":\"x\"}"), 404, null);

        String rotated = api.json("POST", "/v1/devices/pibook-100/token", null, 200).get("device_token").asText();
        assertNotEquals(created.get("device_token").asText(), rotated);
        assertProblem(api.call("POST", "/v1/devices/nobody/token", null), 404, null);

        assertEquals(204, api.call("DELETE", "/v1/devices/pibook-100", null).getStatusCode());
        assertEquals(204, api.call("DELETE", "/v1/devices/pibook-100", null).getStatusCode(), "idempotent");
        assertProblem(api.call("DELETE", "/v1/devices/nobody", null), 404, null);
        JsonNode gone = api.json("GET", "/v1/devices/pibook-100", null, 200);
        assertEquals("decommissioned", gone.get("status").asText());
        assertFalse(gone.get("decommissioned_at").isNull());
        assertProblem(api.call("POST", "/v1/devices/pibook-100/token", null), 409, null);
        assertProblem(api.call("POST", "/v1/devices/pibook-100/sync-requests", null), 409, null);
    }

    @Test
    void deviceListPagesThroughEveryDeviceOnceInIdOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            String id = String.format("dev-%03d", (i * 37) % 260); // registered out of order
            ids.add(id);
            register(id, "Device " + id, i % 3 == 0 ? "PiBox" : "PiBook", "school-" + (i % 4));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.json("GET", "/v1/devices?limit=25" + (cursor == null ? "" : "&cursor="
                    + LocalPiSync.encode(cursor)), null, 200);
            page.get("items").forEach(d -> seen.add(d.get("device_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
            assertTrue(page.get("items").size() <= 25);
        } while (cursor != null && pages < 50);
        assertEquals(ids.stream().sorted().toList(), seen, "every device once, in id order");

        Set<String> site1 = new HashSet<>();
        cursor = null;
        do {
            JsonNode page = api.json("GET", "/v1/devices?site=school-1&limit=30" + (cursor == null ? "" : "&cursor="
                    + LocalPiSync.encode(cursor)), null, 200);
            page.get("items").forEach(d -> {
                assertEquals("school-1", d.get("site").asText());
                assertTrue(site1.add(d.get("device_id").asText()));
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertEquals(65, site1.size());

        JsonNode boxes = api.json("GET", "/v1/devices?type=PiBox&limit=100", null, 200);
        boxes.get("items").forEach(d -> assertEquals("PiBox", d.get("type").asText()));
        JsonNode prefix = api.json("GET", "/v1/devices?q=dev-25", null, 200);
        assertEquals(List.of("dev-250", "dev-251", "dev-252", "dev-253", "dev-254", "dev-255", "dev-256", "dev-257",
                "dev-258", "dev-259"), ids(prefix));
        assertEquals(List.of("dev-007"), ids(api.json("GET", "/v1/devices?q=DEVICE%20dev-007", null, 200)),
                "name prefix, case-insensitive");
        assertEquals(0, api.json("GET", "/v1/devices?site=nowhere", null, 200).get("items").size());
        assertTrue(api.json("GET", "/v1/devices?site=nowhere", null, 200).get("next_cursor").isNull());
        assertEquals(260, api.json("GET", "/v1/devices?status=never_synced&limit=100", null, 200).get("items").size()
                + 160, "the first page of 100 never-synced devices");
    }

    @Test
    void listParametersAndCursorsAreValidated() throws Exception {
        for (int i = 0; i < 30; i++) {
            register("val-" + i, "V" + i, "PiBook", "s");
        }
        assertProblem(api.call("GET", "/v1/devices?limit=0", null), 400, "limit");
        assertProblem(api.call("GET", "/v1/devices?limit=101", null), 400, "limit");
        assertProblem(api.call("GET", "/v1/devices?limit=ten", null), 400, "limit");
        assertProblem(api.call("GET", "/v1/devices?status=sleepy", null), 400, "status");
        assertProblem(api.call("GET", "/v1/devices?cursor=forged", null), 400, "cursor");

        String cursor = api.json("GET", "/v1/devices?limit=5", null, 200).get("next_cursor").asText();
        String edited = cursor.substring(0, cursor.length() - 3) + (cursor.endsWith("A") ? "BBB" : "AAA");
        assertProblem(api.call("GET", "/v1/devices?limit=5&cursor=" + LocalPiSync.encode(edited), null), 400, "cursor");
        assertProblem(api.call("GET", "/v1/devices?status=healthy&cursor=" + LocalPiSync.encode(cursor), null), 400,
                "cursor");
        assertProblem(api.call("GET", "/v1/alerts?cursor=" + LocalPiSync.encode(cursor), null), 400, "cursor");
        assertEquals(5, api.json("GET", "/v1/devices?limit=5&cursor=" + LocalPiSync.encode(cursor), null, 200)
                .get("items").size(), "the genuine cursor works");
        assertProblem(api.call("GET", "/v1/sync-errors?from=yesterday", null), 400, "from");
    }

    @Test
    void statusFiltersFailingDevicesAndRepeatedFailures() throws Exception {
        register("ok-1", "OK", "PiBook", "school-a");
        register("bad-1", "Bad one", "PiBox", "school-a");
        register("bad-2", "Bad two", "PiBox", "school-b");
        register("flaky-1", "Flaky", "PiBook", "school-b");
        sync("ok-1", 1, false);
        for (int m = 1; m <= 5; m++) {
            sync("bad-1", m, true);
        }
        for (int m = 1; m <= 3; m++) {
            sync("bad-2", m, true);
        }
        sync("flaky-1", 1, true);
        sync("flaky-1", 2, true);
        sync("flaky-1", 3, false);
        sync("flaky-1", 4, true);
        assertEquals(0, p.drain());

        assertEquals(List.of("bad-1", "bad-2"), ids(api.json("GET", "/v1/devices/failing", null, 200)),
                "longest streak first");
        assertEquals(List.of("bad-1", "bad-2"), ids(api.json("GET", "/v1/devices?status=failing", null, 200)));
        assertEquals(List.of("bad-1"), ids(api.json("GET", "/v1/devices?status=failing&site=school-a", null, 200)));
        assertEquals(List.of("flaky-1", "ok-1"), ids(api.json("GET", "/v1/devices?status=healthy", null, 200)));

        JsonNode repeated = api.json("GET", "/v1/devices/repeated-failures?since=2026-10-30T00:00:00Z", null, 200);
        assertEquals(List.of("bad-1", "bad-2", "flaky-1"), ids(repeated));
        assertEquals(5, repeated.get("items").get(0).get("failed_syncs").asInt());
        assertEquals(3, repeated.get("items").get(2).get("failed_syncs").asInt());
        assertEquals("2026-11-01T08:05:00Z", repeated.get("items").get(0).get("last_failure_at").asText());
        assertEquals(List.of("bad-1"), ids(api.json("GET",
                "/v1/devices/repeated-failures?min_failures=4&since=2026-10-30T00:00:00Z", null, 200)));
        assertEquals(0, api.json("GET", "/v1/devices/repeated-failures?since=2026-11-02T00:00:00Z", null, 200)
                .get("items").size());
        assertProblem(api.call("GET", "/v1/devices/repeated-failures?min_failures=0", null), 400, "min_failures");
    }

    @Test
    void historyNewestFirstWithTimeAndOutcomeFiltersAndPaging() throws Exception {
        register("hist-1", "H", "PiBook", "school-h");
        for (int m = 1; m <= 30; m++) {
            sync("hist-1", m, m % 3 == 0);
        }
        assertEquals(0, p.drain());

        List<String> times = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.json("GET", "/v1/devices/hist-1/sync-events?limit=7" + (cursor == null ? ""
                    : "&cursor=" + LocalPiSync.encode(cursor)), null, 200);
            page.get("items").forEach(e -> {
                times.add(e.get("timestamp").asText());
                assertFalse(e.get("received_at").isNull());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertEquals(30, times.size());
        assertEquals("2026-11-01T08:30:00Z", times.get(0));
        assertEquals(times.stream().sorted(java.util.Comparator.reverseOrder()).toList(), times);

        JsonNode failed = api.json("GET", "/v1/devices/hist-1/sync-events?outcome=failed&limit=100", null, 200);
        assertEquals(10, failed.get("items").size());
        failed.get("items").forEach(e -> assertEquals("failed", e.get("outcome").asText()));
        JsonNode window = api.json("GET", "/v1/devices/hist-1/sync-events?from=2026-11-01T08:10:00Z&to=2026-11-01T08:20:00Z",
                null, 200);
        assertEquals(10, window.get("items").size(), "from inclusive, to exclusive");
        assertEquals("2026-11-01T08:19:00Z", window.get("items").get(0).get("timestamp").asText());
        assertProblem(api.call("GET", "/v1/devices/nobody/sync-events", null), 404, null);
        assertProblem(api.call("GET", "/v1/devices/hist-1/sync-events?outcome=maybe", null), 400, "outcome");
    }

    @Test
    void errorsAcrossDevicesNewestFirstBySite() throws Exception {
        register("err-a", "A", "PiBook", "school-x");
        register("err-b", "B", "PiBook", "school-y");
        for (int m = 1; m <= 12; m++) {
            sync(m % 2 == 0 ? "err-a" : "err-b", m, m % 4 != 0);
        }
        assertEquals(0, p.drain());
        p.clock.set(Instant.parse("2026-11-02T09:00:00Z"));

        List<String> times = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.json("GET", "/v1/sync-errors?limit=4" + (cursor == null ? ""
                    : "&cursor=" + LocalPiSync.encode(cursor)), null, 200);
            page.get("items").forEach(e -> {
                assertEquals("failed", e.get("outcome").asText());
                times.add(e.get("timestamp").asText());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertEquals(9, times.size());
        assertEquals(times.stream().sorted(java.util.Comparator.reverseOrder()).toList(), times);

        JsonNode siteX = api.json("GET", "/v1/sync-errors?site=school-x", null, 200);
        assertEquals(3, siteX.get("items").size());
        siteX.get("items").forEach(e -> assertEquals("school-x", e.get("site").asText()));
        assertEquals(0, api.json("GET", "/v1/sync-errors?from=2026-11-01T09:00:00Z", null, 200).get("items").size());
    }

    @Test
    void alertsOpenResolveAndDecommissionResolves() throws Exception {
        register("al-1", "A1", "PiBox", "school-z");
        register("al-2", "A2", "PiBox", "school-z");
        for (int m = 1; m <= 3; m++) {
            sync("al-1", m, true);
            sync("al-2", m, true);
        }
        sync("al-1", 4, false);
        assertEquals(0, p.drain());

        JsonNode all = api.json("GET", "/v1/alerts", null, 200);
        assertEquals(2, all.get("items").size());
        JsonNode open = api.json("GET", "/v1/alerts?state=open", null, 200);
        assertEquals(List.of("al-2"), deviceIds(open));
        assertEquals("failure_streak", open.get("items").get(0).get("type").asText());
        assertEquals("school-z", open.get("items").get(0).get("site").asText());
        assertEquals(List.of("al-1"), deviceIds(api.json("GET", "/v1/alerts?state=resolved", null, 200)));
        assertEquals(1, api.json("GET", "/v1/alerts?device_id=al-2&state=open", null, 200).get("items").size());
        assertEquals(2, api.json("GET", "/v1/alerts?site=school-z", null, 200).get("items").size());
        p.publishedAlerts();

        assertEquals(204, api.call("DELETE", "/v1/devices/al-2", null).getStatusCode());
        assertEquals(0, api.json("GET", "/v1/alerts?state=open", null, 200).get("items").size());
        List<JsonNode> published = p.publishedAlerts();
        assertEquals(1, published.size());
        assertEquals("device.recovered", published.get(0).get("type").asText());
        assertEquals("al-2", published.get(0).get("device_id").asText());
        assertProblem(api.call("GET", "/v1/alerts?state=closed", null), 400, "state");
    }

    @Test
    void syncRequestIsDeliveredCompletedOrExpires() throws Exception {
        register("req-1", "R", "PiBook", "school-r");
        JsonNode request = api.json("POST", "/v1/devices/req-1/sync-requests", null, 202);
        assertEquals("queued", request.get("status").asText());
        String id = request.get("request_id").asText();
        assertEquals(Instant.parse(request.get("requested_at").asText()).plus(Duration.ofHours(24)),
                Instant.parse(request.get("expires_at").asText()));

        JsonNode first = JSON.readTree(p.post(SyncPipelineTest.event("req-1", 1, false)).getBody());
        assertEquals(id, first.get("commands").get(0).get("request_id").asText());
        assertEquals("sync", first.get("commands").get(0).get("type").asText());
        JsonNode again = JSON.readTree(p.post(SyncPipelineTest.event("req-1", 2, false)).getBody());
        assertEquals(1, again.get("commands").size(), "offered until answered: a lost response loses nothing");
        assertEquals("delivered", api.json("GET", "/v1/devices/req-1/sync-requests", null, 200)
                .get("items").get(0).get("status").asText());

        String answer = SyncPipelineTest.event("req-1", 3, false).replace("}", ",\"command_id\":\"" + id + "\"}");
        JsonNode answered = JSON.readTree(p.post(answer).getBody());
        assertEquals(0, p.drain());
        JsonNode done = api.json("GET", "/v1/devices/req-1/sync-requests", null, 200).get("items").get(0);
        assertEquals("completed", done.get("status").asText());
        assertEquals(answered.get("accepted").get(0).asText(), done.get("event_id").asText());
        assertEquals(0, JSON.readTree(p.post(SyncPipelineTest.event("req-1", 4, false)).getBody()).get("commands").size());

        p.clock.advance(Duration.ofMinutes(1)); // newest first is by request time
        String failingId = api.json("POST", "/v1/devices/req-1/sync-requests", null, 202).get("request_id").asText();
        p.post(SyncPipelineTest.event("req-1", 5, true).replace("}", ",\"command_id\":\"" + failingId + "\"}"));
        assertEquals(0, p.drain());
        assertEquals("failed", api.json("GET", "/v1/devices/req-1/sync-requests", null, 200)
                .get("items").get(0).get("status").asText());

        p.clock.advance(Duration.ofMinutes(1));
        api.json("POST", "/v1/devices/req-1/sync-requests", "{\"ttl_seconds\":3600}", 202);
        p.clock.advance(Duration.ofHours(2));
        assertEquals("expired", api.json("GET", "/v1/devices/req-1/sync-requests?limit=1", null, 200)
                .get("items").get(0).get("status").asText(), "expiry is decided on read");
        assertProblem(api.call("POST", "/v1/devices/req-1/sync-requests", "{\"ttl_seconds\":5}"), 400, "ttl_seconds");
        assertProblem(api.call("POST", "/v1/devices/nobody/sync-requests", null), 404, null);
        assertProblem(api.call("GET", "/v1/devices/nobody/sync-requests", null), 404, null);
    }

    @Test
    void exportDownloadsCsvAndJsonWithContinuation() throws Exception {
        register("exp-1", "E", "PiBook", "school-e");
        register("exp-2", "E2", "PiBook", "school-e");
        for (int m = 1; m <= 5; m++) {
            sync("exp-1", m, m == 2);
            sync("exp-2", m, false);
        }
        assertEquals(0, p.drain());

        APIGatewayV2HTTPResponse csv = api.call("GET", "/v1/sync-events/export?device_id=exp-1", null);
        assertEquals(200, csv.getStatusCode());
        assertTrue(csv.getHeaders().get("Content-Type").startsWith("text/csv"));
        assertTrue(csv.getHeaders().get("Content-Disposition").startsWith("attachment; filename=\"pisync-sync-events-"));
        String[] lines = csv.getBody().split("\n");
        assertEquals(6, lines.length);
        assertTrue(lines[0].startsWith("event_id,device_id,site,timestamp"));
        assertTrue(lines[1].contains("2026-11-01T08:05:00Z"), "newest first");
        assertNull(csv.getHeaders().get("X-Next-Cursor"));

        APIGatewayV2HTTPResponse json = api.call("GET", "/v1/sync-events/export?format=json&site=school-e", null);
        assertEquals("application/json", json.getHeaders().get("Content-Type"));
        assertEquals(10, JSON.readTree(json.getBody()).size());
        assertProblem(api.call("GET", "/v1/sync-events/export", null), 400, "device_id");
        assertProblem(api.call("GET", "/v1/sync-events/export?device_id=a&site=b", null), 400, "site");
        assertProblem(api.call("GET", "/v1/sync-events/export?device_id=exp-1&format=xml", null), 400, "format");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(d -> ids.add(d.get("device_id").asText()));
        return ids;
    }

    private static List<String> deviceIds(JsonNode page) {
        return ids(page);
    }
}
