package com.pisync.query;

import static com.pisync.query.QueryFixture.NOW;
import static com.pisync.query.QueryFixture.VIEWER;
import static com.pisync.query.QueryFixture.all;
import static com.pisync.query.QueryFixture.boundTo;
import static com.pisync.query.QueryFixture.get;
import static com.pisync.query.QueryFixture.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A device's history and the fleet's failed syncs, against in-memory ports. */
class HistoryQueriesTest {

    private final QueryFixture f = new QueryFixture();
    private final HistoryQueries queries = f.historyQueries();

    private static ReceivedSyncEvent event(String device, String id, Instant at, long errors) {
        return new ReceivedSyncEvent(new SyncEvent(device, id, at, null, 10, errors, 5.0, errors > 0 ? "E1" : null,
                null, null, null), at.plusSeconds(1));
    }

    private JsonNode history(String device, Map<String, String> query) {
        return queries.deviceHistory(get("GET /v1/devices/{device_id}/sync-events", Map.of("device_id", device),
                query), device);
    }

    @Test
    void aDevicesHistoryComesNewestFirstAcrossPagesAndOnlyItsOwn() {
        IntStream.range(0, 12).forEach(i -> f.history.put(event("d-1", "e" + i, NOW.minusSeconds(100 - i), 0), null));
        f.history.put(event("d-2", "other", NOW, 0), null);

        List<String> ids = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = history("d-1", cursor == null ? Map.of("limit", "5") : Map.of("limit", "5", "cursor", cursor));
            ids.addAll(ids(page, "event_id"));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);

        assertEquals(IntStream.range(0, 12).mapToObj(i -> "e" + (11 - i)).toList(), ids);
    }

    @Test
    void outcomeAndTimeFiltersApplyToTheHistory() {
        f.history.put(event("d-1", "ok-old", NOW.minusSeconds(300), 0), null)
                .put(event("d-1", "bad-old", NOW.minusSeconds(200), 2), null)
                .put(event("d-1", "bad-new", NOW.minusSeconds(100), 1), null);

        assertEquals(List.of("bad-new", "bad-old"), ids(history("d-1", Map.of("outcome", "failed")), "event_id"));
        assertEquals(List.of("bad-old", "ok-old"), ids(history("d-1", Map.of("to", NOW.minusSeconds(150).toString())),
                "event_id"));
    }

    @Test
    void fleetErrorsComeNewestFirstAcrossMonthsAndSkipSuccesses() {
        Instant lastMonth = Instant.parse("2026-11-28T10:00:00Z");
        f.history.put(event("a", "a-nov", lastMonth, 1), "north")
                .put(event("b", "b-dec", NOW.minusSeconds(3600), 1), "south")
                .put(event("c", "c-dec", NOW.minusSeconds(60), 3), "north")
                .put(event("c", "c-ok", NOW.minusSeconds(30), 0), "north");

        List<String> ids = all(e -> queries.errors(e, VIEWER), "GET /v1/sync-errors", Map.of("limit", "1"), "event_id");

        assertEquals(List.of("c-dec", "b-dec", "a-nov"), ids);
    }

    @Test
    void aSiteBoundViewerSeesOnlyTheirSitesErrorsWithTheSite() {
        f.history.put(event("b", "b-dec", NOW.minusSeconds(3600), 1), "south")
                .put(event("c", "c-dec", NOW.minusSeconds(60), 3), "north");

        JsonNode page = queries.errors(get("GET /v1/sync-errors", Map.of()), boundTo("north"));

        assertEquals(List.of("c-dec"), ids(page, "event_id"));
        assertEquals("north", page.get("items").get(0).get("site").asText());
    }

    @Test
    void errorsOutsideTheDefaultWindowAreLeftOut() {
        f.history.put(event("a", "old", NOW.minus(Duration.ofDays(40)), 1), null)
                .put(event("a", "recent", NOW.minus(Duration.ofDays(2)), 1), null);

        assertEquals(List.of("recent"), all(e -> queries.errors(e, VIEWER), "GET /v1/sync-errors", Map.of(),
                "event_id"));
    }
}
