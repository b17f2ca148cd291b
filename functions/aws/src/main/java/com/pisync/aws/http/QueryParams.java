package com.pisync.aws.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.pisync.domain.FieldError;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed query-string parameters of one request. Every bad parameter is collected; {@link #check()}
 * then refuses the request with all of them at once.
 */
public final class QueryParams {

    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?[0-9]{1,10}");

    private final Map<String, String> params;
    private final List<FieldError> errors = new ArrayList<>();

    public QueryParams(APIGatewayV2HTTPEvent request) {
        Map<String, String> raw = request.getQueryStringParameters();
        this.params = raw == null ? Map.of() : raw;
    }

    public String string(String name, int maxLength) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > maxLength) {
            errors.add(new FieldError(name, "must be at most " + maxLength + " characters"));
            return null;
        }
        return v;
    }

    public String oneOf(String name, Set<String> allowed) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!allowed.contains(v)) {
            errors.add(new FieldError(name, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed))));
            return null;
        }
        return v;
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            // ASCII digits only: Integer.parseInt would also take "+5" and Arabic-Indic or fullwidth digits.
            if (!INTEGER.matcher(v).matches()) {
                throw new NumberFormatException(v);
            }
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                errors.add(new FieldError(name, "must be between " + min + " and " + max));
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(name, "must be an integer between " + min + " and " + max));
            return fallback;
        }
    }

    public int limit() {
        return integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    public String cursor() {
        return string("cursor", 4096);
    }

    public Instant time(String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            // Years beyond 0000–9999 parse, but overflow epoch milliseconds in the queries.
            if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
                errors.add(new FieldError(name, "must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z"));
                return null;
            }
            return t;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 date-time with offset, e.g. 2026-11-01T00:00:00Z"));
            return null;
        }
    }

    public void error(String name, String message) {
        errors.add(new FieldError(name, message));
    }

    /** @throws ApiProblem 400 listing every bad parameter */
    public void check() {
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest("Some query parameters are invalid.", errors);
        }
    }

    /** The filters of the query, canonical, for cursor fingerprints: "status=failing&site=x". */
    public String filters() {
        Map<String, String> sorted = new TreeMap<>(params);
        sorted.remove("cursor");
        sorted.remove("limit");
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return out.toString();
    }
}
