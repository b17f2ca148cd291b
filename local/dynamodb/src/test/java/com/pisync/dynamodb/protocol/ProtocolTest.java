package com.pisync.dynamodb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wire protocol as raw HTTP: targets, errors, headers. */
class ProtocolTest {

    static LocalServer local;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static HttpResponse<String> post(String target, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(local.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersCarryARequestIdAndTheCrc32OfTheBody() throws Exception {
        HttpResponse<String> r = post("DynamoDB_20120810.ListTables", "{}");
        assertEquals(200, r.statusCode());
        assertNotNull(r.headers().firstValue("x-amzn-RequestId").orElse(null));
        CRC32 crc = new CRC32();
        crc.update(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Long.toString(crc.getValue()), r.headers().firstValue("x-amz-crc32").orElseThrow());
        assertEquals("application/x-amz-json-1.0", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void anUnknownActionIsUnknownOperationException() throws Exception {
        HttpResponse<String> r = post("DynamoDB_20120810.FlyToTheMoon", "{}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("UnknownOperationException"), r.body());
        assertEquals(400, post(null, "{}").statusCode());
    }

    @Test
    void malformedJsonIsSerializationException() throws Exception {
        HttpResponse<String> r = post("DynamoDB_20120810.ListTables", "{not json");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("SerializationException"), r.body());
    }

    @Test
    void errorsHaveTypeAndMessage() throws Exception {
        HttpResponse<String> r = post("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"nothere\"}");
        assertEquals(400, r.statusCode());
        assertEquals("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                + "\"message\":\"Requested resource not found: Table: nothere not found\"}", r.body());
        HttpResponse<String> v = post("DynamoDB_20120810.DescribeTable", "{}");
        assertEquals("{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"1 validation error detected: "
                + "Value null at 'tableName' failed to satisfy constraint: Member must not be null\"}", v.body());
    }

    @Test
    void streamsActionsUseTheirOwnTarget() throws Exception {
        HttpResponse<String> r = post("DynamoDBStreams_20120810.ListStreams", "{}");
        assertEquals(200, r.statusCode());
        assertEquals("{\"Streams\":[]}", r.body());
    }
}
