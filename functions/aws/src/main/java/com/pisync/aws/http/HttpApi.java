package com.pisync.aws.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.observability.Log;
import com.pisync.domain.FieldError;
import com.pisync.domain.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP API edge of every function: reading API Gateway (payload v2) requests and writing JSON
 * and problem+json responses. The one place where exceptions become HTTP answers.
 */
public final class HttpApi {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Log LOG = Log.of("http");
    private static final String JSON_TYPE = "application/json";
    private static final String PROBLEM_TYPE = "application/problem+json";

    private HttpApi() {
    }

    /** Runs the handler body; refusals become problems, anything unexpected a 500 without internals. */
    public static APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent request, Supplier<APIGatewayV2HTTPResponse> body) {
        String requestId = request == null || request.getRequestContext() == null
                ? null : request.getRequestContext().getRequestId();
        try (Log.Scope bound = Log.bind(requestId)) {
            return body.get();
        } catch (ApiProblem p) {
            return problem(p);
        } catch (InvalidRequestException e) {
            return problem(ApiProblem.badRequest(e.getMessage(), e.errors()));
        } catch (RuntimeException e) {
            // The log keeps the cause; the caller gets a request id to quote, never a stack trace.
            LOG.withRequestId(requestId).error("request failed", Map.of("route", request == null ? "" : route(request)), e);
            e.printStackTrace();
            return problem(new ApiProblem(500, "/problems/internal-error", "Internal error",
                    "PiSync could not complete the request; retry later"
                            + (requestId == null ? "." : " and quote request id " + requestId + "."),
                    List.of()));
        }
    }

    /** The route a request matched, as API Gateway names it: "POST /v1/sync-events". */
    public static String route(APIGatewayV2HTTPEvent request) {
        String key = request.getRouteKey();
        if (key != null && !key.isEmpty() && !"$default".equals(key)) {
            return key;
        }
        var http = request.getRequestContext() == null ? null : request.getRequestContext().getHttp();
        return http == null ? "" : http.getMethod() + " " + request.getRawPath();
    }

    /** The raw body bytes, decoded if API Gateway base64-encoded them. */
    public static byte[] bodyBytes(APIGatewayV2HTTPEvent request) {
        String body = request.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (!request.getIsBase64Encoded()) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            // API Gateway only sends valid base64; anything else is a broken request, not our failure.
            throw ApiProblem.badRequest("The request body is marked base64-encoded but is not valid base64.",
                    List.of(new FieldError("body", "must be valid base64 when isBase64Encoded is true")));
        }
    }

    /** Parses the body as JSON, refusing a body that is not. */
    public static JsonNode jsonBody(byte[] body) {
        if (body.length == 0) {
            throw ApiProblem.badRequest("The request has no body.", List.of(new FieldError("body", "is required")));
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiProblem.badRequest("The request has no body.", List.of(new FieldError("body", "is required")));
            }
            return node;
        } catch (IOException e) {
            throw ApiProblem.badRequest("The request body is not valid JSON.",
                    List.of(new FieldError("body", "must be valid JSON")));
        }
    }

    /** Header lookup ignoring case (API Gateway lower-cases them, local callers may not). */
    public static String header(APIGatewayV2HTTPEvent request, String name) {
        Map<String, String> headers = request.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    public static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        return response(status, JSON_TYPE, body.toString());
    }

    public static APIGatewayV2HTTPResponse problem(ApiProblem p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", p.type());
        n.put("title", p.title());
        n.put("status", p.status());
        n.put("detail", p.detail());
        if (!p.errors().isEmpty()) {
            n.set("errors", fieldErrors(p.errors()));
        }
        return response(p.status(), PROBLEM_TYPE, n.toString());
    }

    public static ArrayNode fieldErrors(List<FieldError> errors) {
        ArrayNode array = JSON.createArrayNode();
        for (FieldError e : errors) {
            array.addObject().put("field", e.field()).put("message", e.message());
        }
        return array;
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", contentType, "Cache-Control", "no-store"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
