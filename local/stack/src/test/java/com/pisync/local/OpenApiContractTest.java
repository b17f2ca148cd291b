package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml against the code: every served route is documented, every documented route is
 * served, and real responses of the local stack validate against the documented schemas.
 */
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode spec;
    private static JsonNode definitions;
    private final Pipeline p = new Pipeline();

    @BeforeAll
    static void readSpec() throws Exception {
        spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../../docs/openapi.yaml").toFile());
        assertTrue(spec.get("openapi").asText().startsWith("3.1"), "an OpenAPI 3.1 document");
        definitions = rewriteRefs(spec.get("components").get("schemas").deepCopy());
    }

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteServed() {
        Set<String> documented = new TreeSet<>();
        spec.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        com.pisync.testbed.LocalCognito cognito = com.pisync.testbed.TestBed.shared().cognito();
        p.stack.withIdentity(cognito, cognito.createPool("oas-" + java.util.UUID.randomUUID().toString().substring(0, 6)));
        Set<String> served = new TreeSet<>(p.stack.routeKeys());

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "served but not documented");
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(served);
        assertEquals(Set.of(), unserved, "documented but not served");
    }

    @Test
    void realResponsesMatchTheDocumentedSchemas() throws Exception {
        LocalPiSync api = p.stack;
        check("POST", "/v1/devices", api.call("POST", "/v1/devices",
                "{\"device_id\":\"oas-1\",\"name\":\"OAS one\",\"type\":\"PiBox\",\"site\":\"school-o\",\"tags\":[\"t\"]}"));
        check("POST", "/v1/devices", api.call("POST", "/v1/devices", "{\"device_id\":\"oas-1\",\"name\":\"x\",\"type\":\"PiBox\",\"site\":\"s\"}"));
        check("POST", "/v1/devices", api.call("POST", "/v1/devices", "{\"device_id\":\"bad id\"}"));
        check("POST", "/v1/devices/{device_id}/sync-requests", api.call("POST", "/v1/devices/oas-1/sync-requests", null));
        for (int m = 1; m <= 4; m++) {
            check("POST", "/v1/sync-events", p.post(SyncPipelineTest.event("oas-1", m, m < 4)));
        }
        check("POST", "/v1/sync-events", p.post("{\"events\":[" + SyncPipelineTest.event("oas-1", 9, true)
                + ",{\"device_id\":\"oas-1\"}]}"));
        check("POST", "/v1/sync-events", p.post("{\"device_id\":\"oas-1\"}"));
        for (int m = 5; m <= 7; m++) {
            p.post(SyncPipelineTest.event("oas-1", m, true));
        }
        assertEquals(0, p.drain());
        p.stack.runStats();

        check("GET", "/health", api.call("GET", "/health", null));
        check("GET", "/v1/devices", api.call("GET", "/v1/devices?limit=2", null));
        check("GET", "/v1/devices", api.call("GET", "/v1/devices?limit=0", null));
        check("GET", "/v1/devices/failing", api.call("GET", "/v1/devices/failing", null));
        check("GET", "/v1/devices/repeated-failures", api.call("GET",
                "/v1/devices/repeated-failures?since=2026-10-31T00:00:00Z", null));
        check("GET", "/v1/devices/{device_id}", api.call("GET", "/v1/devices/oas-1", null));
        check("GET", "/v1/devices/{device_id}", api.call("GET", "/v1/devices/nobody", null));
        check("PATCH", "/v1/devices/{device_id}", api.call("PATCH", "/v1/devices/oas-1", "{\"name\":\"OAS 1\"}"));
        check("GET", "/v1/devices/{device_id}/sync-events", api.call("GET", "/v1/devices/oas-1/sync-events?limit=3", null));
        check("GET", "/v1/devices/{device_id}/sync-requests", api.call("GET", "/v1/devices/oas-1/sync-requests", null));
        check("GET", "/v1/sync-errors", api.call("GET", "/v1/sync-errors", null));
        check("GET", "/v1/alerts", api.call("GET", "/v1/alerts", null));
        check("GET", "/v1/stats/fleet", api.call("GET", "/v1/stats/fleet", null));
        check("GET", "/v1/stats/fleet", api.call("GET", "/v1/stats/fleet?site=school-o", null));
        check("POST", "/v1/devices/{device_id}/token", api.call("POST", "/v1/devices/oas-1/token", null));
        check("GET", "/v1/sync-events/export", api.call("GET", "/v1/sync-events/export?format=json&device_id=oas-1", null));
        check("DELETE", "/v1/devices/{device_id}", api.call("DELETE", "/v1/devices/oas-1", null));
    }

    @Test
    void theCheckRejectsAResponseThatBreaksTheSchema() {
        APIGatewayV2HTTPResponse wrong = APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody("{\"items\":[{\"device_id\":7}],\"next_cursor\":null}").build();
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> check("GET", "/v1/devices", wrong));
        assertTrue(e.getMessage().contains("device_id"), e.getMessage());
    }

    /** Validates the response against the operation's documented response for its status. */
    static void check(String method, String template, APIGatewayV2HTTPResponse response) throws Exception {
        JsonNode operation = spec.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
        assertNotNull(operation, method + " " + template + " is not documented");
        JsonNode documented = operation.get("responses").get(Integer.toString(response.getStatusCode()));
        assertNotNull(documented, method + " " + template + " answered " + response.getStatusCode()
                + ", which is not documented: " + response.getBody());
        documented = resolve(documented);
        if (documented.get("content") == null) {
            assertTrue(response.getBody() == null || response.getBody().isEmpty(), "no body documented");
            return;
        }
        String contentType = response.getHeaders().get("Content-Type").split(";")[0];
        JsonNode media = documented.get("content").get(contentType);
        assertNotNull(media, method + " " + template + " " + response.getStatusCode() + " answered " + contentType
                + ", documented: " + documented.get("content").fieldNames().next());
        if (!contentType.contains("json")) {
            return;
        }
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.set("$defs", definitions);
        schema.setAll((ObjectNode) rewriteRefs(media.get("schema").deepCopy()));
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        Set<ValidationMessage> errors = validator.validate(JSON.readTree(response.getBody()));
        assertEquals(Set.of(), errors, method + " " + template + " " + response.getStatusCode() + ": "
                + response.getBody());
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        JsonNode target = spec;
        for (String part : ref.asText().substring(2).split("/")) {
            target = target.get(part);
        }
        return resolve(target);
    }

    /** OpenAPI's #/components/schemas/X becomes JSON Schema's #/$defs/X. */
    private static JsonNode rewriteRefs(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.asText().startsWith("#/components/schemas/")) {
                o.put("$ref", "#/$defs/" + ref.asText().substring("#/components/schemas/".length()));
            }
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            List<Map.Entry<String, JsonNode>> copy = new java.util.ArrayList<>();
            fields.forEachRemaining(copy::add);
            copy.forEach(e -> rewriteRefs(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(OpenApiContractTest::rewriteRefs);
        }
        return node;
    }
}
