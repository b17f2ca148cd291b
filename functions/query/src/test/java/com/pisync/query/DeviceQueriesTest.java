package com.pisync.query;

import static com.pisync.memory.DeviceBuilder.device;
import static com.pisync.query.QueryFixture.NOW;
import static com.pisync.query.QueryFixture.VIEWER;
import static com.pisync.query.QueryFixture.all;
import static com.pisync.query.QueryFixture.boundTo;
import static com.pisync.query.QueryFixture.get;
import static com.pisync.query.QueryFixture.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.http.ApiProblem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Device reads (list, search, failing, one device) against in-memory ports. */
class DeviceQueriesTest {

    private final QueryFixture f = new QueryFixture();
    private final DeviceQueries queries = f.deviceQueries();

    private JsonNode list(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent e) {
        return queries.list(e, VIEWER);
    }

    @Test
    void everyDeviceIsListedOnceInIdOrderAcrossPages() {
        IntStream.range(0, 53).forEach(i -> f.devices.put(device(String.format("pi-%03d", 52 - i)).site("s1")
                .healthy(NOW.minusSeconds(60), NOW.plus(Duration.ofHours(1))).build()));

        List<String> ids = all(this::list, "GET /v1/devices", Map.of("limit", "10"), "device_id");

        assertEquals(IntStream.range(0, 53).mapToObj(i -> String.format("pi-%03d", i)).toList(), ids);
        JsonNode first = list(get("GET /v1/devices", Map.of("limit", "10")));
        assertEquals(10, first.get("items").size());
    }

    @Test
    void aSiteBoundViewerListsOnlyTheirSites() {
        f.devices.put(device("a-1").site("north").build()).put(device("a-2").site("south").build())
                .put(device("a-3").site("north").build()).put(device("a-4").build());

        assertEquals(List.of("a-1", "a-3"), ids(queries.list(get("GET /v1/devices", Map.of()), boundTo("north")),
                "device_id"));
        assertEquals(List.of(), ids(queries.list(get("GET /v1/devices", Map.of("site", "south")), boundTo("north")),
                "device_id"));
        assertEquals(List.of("a-1", "a-2", "a-3", "a-4"), ids(list(get("GET /v1/devices", Map.of())), "device_id"));
    }

    @Test
    void statusIsDecidedOnReadSoAQuietDeviceStoredHealthyListsAsOffline() {
        f.devices.put(device("quiet").healthy(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2))).build())
                .put(device("fresh").healthy(NOW.minusSeconds(5), NOW.plus(Duration.ofHours(20))).build());

        assertEquals(List.of("fresh"), ids(list(get("GET /v1/devices", Map.of("status", "healthy"))), "device_id"));
        JsonNode quiet = queries.get("quiet", VIEWER);
        assertEquals("offline", quiet.get("status").asText());
        assertEquals(NOW.minus(Duration.ofDays(2)).toString(), quiet.get("offline_at").asText());
    }

    @Test
    void typeFilterKeepsOnlyThatType() {
        f.devices.put(device("t-1").type("PiBox").build()).put(device("t-2").build()).put(device("t-3").type("PiBox")
                .build());

        assertEquals(List.of("t-1", "t-3"), ids(list(get("GET /v1/devices", Map.of("type", "PiBox"))), "device_id"));
    }

    @Test
    void searchGivesIdMatchesThenNameMatchesWithoutRepeatingADevice() {
        f.devices.put(device("lab-2").name("Library").build())
                .put(device("lab-1").name("Lab one").build())
                .put(device("x-9").name("LAB annex").build())
                .put(device("y-1").name("Gym").build());

        List<String> ids = all(this::list, "GET /v1/devices", Map.of("q", "lab", "limit", "1"), "device_id");

        assertEquals(List.of("lab-1", "lab-2", "x-9"), ids);
    }

    @Test
    void failingDevicesComeLongestStreakFirst() {
        f.devices.put(device("f-a").failing(3, NOW.minusSeconds(300), NOW.minusSeconds(10)).build())
                .put(device("f-b").failing(9, NOW.minusSeconds(900), NOW.minusSeconds(10)).build())
                .put(device("f-c").failing(5, NOW.minusSeconds(500), NOW.minusSeconds(10)).build())
                .put(device("ok").healthy(NOW.minusSeconds(10), NOW.plus(Duration.ofHours(1))).build());

        List<String> ids = all(e -> queries.failing(e, VIEWER), "GET /v1/devices/failing", Map.of("limit", "2"),
                "device_id");

        assertEquals(List.of("f-b", "f-c", "f-a"), ids);
    }

    @Test
    void anotherSitesDeviceIsNotFoundForABoundViewer() {
        f.devices.put(device("d-1").site("north").build());

        assertEquals("d-1", queries.get("d-1", boundTo("north")).get("device_id").asText());
        ApiProblem p = assertThrows(ApiProblem.class, () -> queries.get("d-1", boundTo("south")));
        assertEquals(404, p.status());
        assertEquals(404, assertThrows(ApiProblem.class, () -> queries.get("nope", VIEWER)).status());
    }

    @Test
    void aDeviceRendersItsRegistryFactsAndState() {
        f.devices.put(device("r-1").name("Room 1").type("PiBox").site("north").tags("a", "b")
                .failing(4, NOW.minusSeconds(400), NOW.minusSeconds(40)).pending(7, NOW.minusSeconds(4000)).build());

        JsonNode d = queries.get("r-1", VIEWER);

        assertEquals("Room 1", d.get("name").asText());
        assertEquals("PiBox", d.get("type").asText());
        assertEquals("[\"a\",\"b\"]", d.get("tags").toString());
        assertEquals("failing", d.get("status").asText());
        assertEquals(4, d.get("consecutive_failures").asInt());
        assertEquals(7, d.get("pending_files").asInt());
        assertEquals(NOW.minusSeconds(4000).toString(), d.get("data_at_risk_since").asText());
        assertTrue(d.get("decommissioned_at").isNull());
    }
}
