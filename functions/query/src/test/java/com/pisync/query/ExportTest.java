package com.pisync.query;

import static com.pisync.memory.DeviceBuilder.device;
import static com.pisync.query.QueryFixture.NOW;
import static com.pisync.query.QueryFixture.VIEWER;
import static com.pisync.query.QueryFixture.boundTo;
import static com.pisync.query.QueryFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.http.ApiProblem;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sync-events export against in-memory ports: device by device, newest first, CSV or JSON. */
class ExportTest {

    private final QueryFixture f = new QueryFixture();
    private final Export export = new Export(f.history, f.devices, f.deviceQueries(), f.lists, f.clock);

    private void event(String device, String id, Instant at, String message, String site) {
        f.history.put(new ReceivedSyncEvent(new SyncEvent(device, id, at, null, 3, message == null ? 0 : 1, 2.5,
                null, message, null, null), at.plusSeconds(1)), site);
    }

    private static List<String> column(APIGatewayV2HTTPResponse r, int index) {
        return Arrays.stream(r.getBody().split("\n")).skip(1).map(line -> line.split(",", -1)[index]).toList();
    }

    @Test
    void aSitesExportGoesDeviceByDeviceInIdOrderEachNewestFirst() {
        f.devices.put(device("b").site("north").build()).put(device("a").site("north").build())
                .put(device("c").site("south").build());
        event("a", "a1", NOW.minusSeconds(30), null, "north");
        event("a", "a2", NOW.minusSeconds(20), null, "north");
        event("b", "b1", NOW.minusSeconds(10), null, "north");
        event("c", "c1", NOW.minusSeconds(5), null, "south");

        APIGatewayV2HTTPResponse r = export.export(get("GET /v1/sync-events/export", Map.of("site", "north")), VIEWER);

        assertEquals(200, r.getStatusCode());
        assertEquals(List.of("a2", "a1", "b1"), column(r, 0));
        assertEquals(List.of("north", "north", "north"), column(r, 2));
        assertNull(r.getHeaders().get("X-Next-Cursor"));
    }

    @Test
    void deviceSuppliedTextIsQuotedAndDefusedInCsv() {
        f.devices.put(device("a").site("north").build());
        event("a", "a1", NOW.minusSeconds(30), "=SUM(A1), \"boom\"", "north");

        String body = export.export(get("GET /v1/sync-events/export", Map.of("device_id", "a")), VIEWER).getBody();

        String row = body.split("\n")[1];
        assertTrue(row.contains(",\"'=SUM(A1), \"\"boom\"\"\","), row);
    }

    @Test
    void jsonExportIsAnArrayAndAnotherSitesDeviceIsNotFound() throws Exception {
        f.devices.put(device("a").site("north").build());
        event("a", "a1", NOW.minusSeconds(30), null, "north");

        String body = export.export(get("GET /v1/sync-events/export", Map.of("device_id", "a", "format", "json")),
                VIEWER).getBody();

        assertEquals('[', body.charAt(0));
        assertEquals("a1", com.pisync.aws.http.HttpApi.JSON.readTree(body).get(0).get("event_id").asText());
        assertEquals(404, assertThrows(ApiProblem.class, () -> export.export(get("GET /v1/sync-events/export",
                Map.of("device_id", "a")), boundTo("south"))).status());
    }
}
