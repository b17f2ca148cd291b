package com.pisync.query;

import static com.pisync.query.QueryFixture.NOW;
import static com.pisync.query.QueryFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.domain.SyncRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A device's sync requests against an in-memory port: newest first, status as of the read. */
class SyncRequestQueriesTest {

    private final QueryFixture f = new QueryFixture();

    @Test
    void requestsComeNewestFirstAcrossPagesWithTheirStatusAsOfNow() {
        SyncRequest expired = SyncRequest.queue("d-1", NOW.minus(Duration.ofHours(30)), Duration.ofHours(24));
        SyncRequest older = SyncRequest.queue("d-1", NOW.minus(Duration.ofHours(2)), Duration.ofHours(24));
        SyncRequest newer = SyncRequest.queue("d-1", NOW.minus(Duration.ofMinutes(5)), Duration.ofHours(24));
        f.syncRequests.put(older).put(expired).put(newer)
                .put(SyncRequest.queue("d-2", NOW.minusSeconds(1), Duration.ofHours(1)));
        SyncRequestQueries q = f.syncRequestQueries();

        List<String> ids = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        String cursor = null;
        do {
            var e = get("GET /v1/devices/{device_id}/sync-requests", Map.of("device_id", "d-1"),
                    cursor == null ? Map.of("limit", "2") : Map.of("limit", "2", "cursor", cursor));
            JsonNode page = q.list(e, "d-1");
            page.get("items").forEach(i -> {
                ids.add(i.get("request_id").asText());
                statuses.add(i.get("status").asText());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);

        assertEquals(List.of(newer.requestId(), older.requestId(), expired.requestId()), ids);
        assertEquals(List.of("queued", "queued", "expired"), statuses);
    }
}
