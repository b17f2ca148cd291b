package com.pisync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.domain.FieldError;
import java.util.List;

/** Reading the small JSON bodies of the auth and users routes; every bad field is named. */
final class Bodies {

    private Bodies() {
    }

    /** The body as a JSON object, or 400 naming {@code body}. */
    static JsonNode object(APIGatewayV2HTTPEvent request) {
        JsonNode body = HttpApi.jsonBody(HttpApi.bodyBytes(request));
        if (!body.isObject()) {
            throw ApiProblem.badRequest("The request body must be a JSON object.",
                    List.of(new FieldError("body", "must be a JSON object")));
        }
        return body;
    }

    /** A required, non-empty string field; null (and an entry in {@code errors}) when it is not one. */
    static String requiredText(JsonNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        if (value.asText().isEmpty()) {
            errors.add(new FieldError(field, "must not be empty"));
            return null;
        }
        return value.asText();
    }

    /** @throws ApiProblem 400 listing {@code errors}, when there are any */
    static void check(String detail, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest(detail, errors);
        }
    }
}
