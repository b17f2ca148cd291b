package com.pisync.aws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reproducers of what the fuzz tests (local/fuzz) found at the HTTP edge, and the path-id rule. */
class RequestEdgesTest {

    private static APIGatewayV2HTTPEvent request(Map<String, String> path, Map<String, String> query) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setPathParameters(path);
        e.setQueryStringParameters(query);
        return e;
    }

    @Test
    void aBodyFlaggedBase64ThatIsNotBase64Is400NotA500() {
        // Found by IngestFuzzTest#uploadsToIngest: Base64 decoding threw IllegalArgumentException → 500.
        APIGatewayV2HTTPEvent e = request(null, null);
        e.setBody("=z\u0001r");
        e.setIsBase64Encoded(true);
        APIGatewayV2HTTPResponse r = HttpApi.handle(e, () -> {
            HttpApi.bodyBytes(e);
            return HttpApi.json(200, HttpApi.JSON.createObjectNode());
        });
        assertEquals(400, r.getStatusCode());
        assertTrue(r.getBody().contains("\"field\":\"body\""), r.getBody());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pib\u043eok-1", "pibook-1 ", "pibook-\uff11", "pibook-1\u200b", "a/b"})
    void aPathDeviceIdThatCouldBeNoDevicesIs400NamingDeviceId(String id) {
        // Found by QueryFuzzTest#queryParameters: an empty id reached DynamoDB as an empty key → 500.
        ApiProblem p = assertThrows(ApiProblem.class, () -> PathParams.deviceId(request(Map.of("device_id", id), null)));
        assertEquals(400, p.status());
        assertEquals("device_id", p.errors().get(0).field());
    }

    @Test
    void aPathDeviceIdIsTakenExactly() {
        assertEquals("PIBOOK-1", PathParams.deviceId(request(Map.of("device_id", "PIBOOK-1"), null)));
        assertNull(PathParams.deviceId(request(null, null)));
        assertEquals("x".repeat(64), PathParams.deviceId(request(Map.of("device_id", "x".repeat(64)), null)));
        assertThrows(ApiProblem.class, () -> PathParams.deviceId(request(Map.of("device_id", "x".repeat(65)), null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0663", "\uff15", "+5", " 5", "5 ", "1e2", "99999999999"})
    void limitsAreAsciiDigitsOnly(String limit) {
        QueryParams p = new QueryParams(request(null, Map.of("limit", limit)));
        p.limit();
        ApiProblem problem = assertThrows(ApiProblem.class, p::check);
        assertEquals("limit", problem.errors().get(0).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"})
    void timesBeyondYear9999AreRefusedBeforeTheyOverflowMilliseconds(String time) {
        QueryParams p = new QueryParams(request(null, Map.of("from", time)));
        assertNull(p.time("from"));
        assertEquals("from", assertThrows(ApiProblem.class, p::check).errors().get(0).field());
    }

    @Test
    void ordinaryTimesAndLimitsStillWork() {
        QueryParams p = new QueryParams(request(null, Map.of("from", "1970-01-01T00:00:00Z", "limit", "100")));
        assertEquals(Instant.EPOCH, p.time("from"));
        assertEquals(100, p.limit());
        p.check();
    }
}
