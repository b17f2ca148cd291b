package com.pisync.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/** What must hold for every response, whatever the input. A violation throws, and Jazzer reports it. */
final class Invariants {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Refusals that are about the request's content: they must say which field and why. */
    private static final Set<Integer> FIELD_PROBLEMS = Set.of(400, 413, 415, 422);
    /** A Java stack frame as printStackTrace writes it: "at com.x.Y.m(Y.java:12)". */
    private static final java.util.regex.Pattern STACK_FRAME =
            java.util.regex.Pattern.compile("at [\\w$.]+\\([\\w$]+\\.java:\\d+\\)");

    private Invariants() {
    }

    /**
     * Never a 5xx; JSON bodies; every 4xx an {@code application/problem+json} with type, title, status and
     * detail, validation refusals with {@code errors[{field, message}]}; no stack trace or class name.
     *
     * @param input what the caller sent (path, query, body) so that echoed input is not taken for
     *     internals; null when it may be anything (a device upload)
     * @return the parsed body
     */
    static JsonNode check(APIGatewayV2HTTPResponse r, String input) {
        if (r == null) {
            throw new AssertionError("no response");
        }
        int status = r.getStatusCode();
        String body = r.getBody();
        if (status >= 500 || status < 200) {
            throw new AssertionError("status " + status + ": " + body);
        }
        String contentType = r.getHeaders() == null ? null : r.getHeaders().get("Content-Type");
        if (body == null || body.isEmpty()) {
            if (status != 204) {
                throw new AssertionError("status " + status + " without a body");
            }
            return null;
        }
        if (contentType != null && contentType.startsWith("text/csv")) {
            return null;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("status " + status + " body is not JSON: " + body, e);
        }
        // Echoed input (an event_id in "accepted", a device id in a 404) may contain anything, so a
        // class name counts only when the input did not carry it; a stack frame never may.
        boolean echoes = input == null || input.contains("xception") || input.contains("java.")
                || input.contains("pisync.") || input.contains("amazon") || input.contains("jackson");
        if (STACK_FRAME.matcher(body).find()
                || (!echoes && (body.contains("Exception") || body.contains("java.") || body.contains("com.pisync")
                        || body.contains("software.amazon") || body.contains("jackson")))) {
            throw new AssertionError("internals in the response: " + body);
        }
        if (status >= 400) {
            if (!"application/problem+json".equals(contentType)) {
                throw new AssertionError("problem without application/problem+json: " + contentType + " " + body);
            }
            for (String f : new String[] {"type", "title", "detail"}) {
                if (!json.path(f).isTextual() || json.path(f).asText().isBlank()) {
                    throw new AssertionError("problem without " + f + ": " + body);
                }
            }
            if (json.path("status").asInt() != status) {
                throw new AssertionError("problem status differs from " + status + ": " + body);
            }
            if (FIELD_PROBLEMS.contains(status)) {
                JsonNode errors = json.get("errors");
                if (errors == null || !errors.isArray() || errors.isEmpty()) {
                    throw new AssertionError(status + " without field errors: " + body);
                }
                for (JsonNode e : errors) {
                    if (!e.path("field").isTextual() || e.path("field").asText().isBlank()
                            || !e.path("message").isTextual() || e.path("message").asText().isBlank()) {
                        throw new AssertionError("field error without field or message: " + body);
                    }
                }
            }
        } else if (contentType == null || !contentType.startsWith("application/json")) {
            throw new AssertionError("status " + status + " with content type " + contentType);
        }
        return json;
    }
}
