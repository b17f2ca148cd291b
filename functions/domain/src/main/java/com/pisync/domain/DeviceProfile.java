package com.pisync.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an admin says about a device: its name, type, site and tags. Parsed from the bodies of
 * {@code POST /v1/devices} (all required but tags) and {@code PATCH} (any, at least one).
 */
public record DeviceProfile(String deviceId, String name, String type, String site, List<String> tags) {

    /** Path segments of other routes under /v1/devices/: such a device could never be read by id. */
    private static final Set<String> RESERVED_IDS = Set.of("failing", "repeated-failures", "at-risk");
    private static final int MAX_TAGS = 20;

    public static DeviceProfile parseNew(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        requireObject(body);
        // The id is taken as sent, not stripped: " pibook-1" is refused, as ingest refuses it.
        JsonNode rawId = body.get("device_id");
        String id = rawId != null && rawId.isTextual() ? rawId.textValue() : text(body, "device_id", true, 64, errors);
        if (id != null && !DeviceId.isValid(id)) {
            errors.add(new FieldError("device_id", DeviceId.problem(id)));
        } else if (id != null && RESERVED_IDS.contains(id)) {
            errors.add(new FieldError("device_id", "'" + id + "' is reserved by the API; choose another id"));
        }
        DeviceProfile p = new DeviceProfile(id, text(body, "name", true, 100, errors), text(body, "type", true, 32, errors),
                text(body, "site", true, 64, errors), tags(body, errors));
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The device is invalid.", errors);
        }
        return p;
    }

    /** A patch: null fields are left as they are. */
    public static DeviceProfile parsePatch(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        requireObject(body);
        for (String fixed : List.of("device_id", "status")) {
            if (body.has(fixed)) {
                errors.add(new FieldError(fixed, "cannot be changed"));
            }
        }
        DeviceProfile p = new DeviceProfile(null, text(body, "name", false, 100, errors),
                text(body, "type", false, 32, errors), text(body, "site", false, 64, errors),
                body.has("tags") ? tags(body, errors) : null);
        if (errors.isEmpty() && p.name == null && p.type == null && p.site == null && p.tags == null) {
            errors.add(new FieldError("body", "must set at least one of name, type, site, tags"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The change is invalid.", errors);
        }
        return p;
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.",
                    List.of(new FieldError("body", "must be a JSON object")));
        }
    }

    private static String text(JsonNode body, String field, boolean required, int max, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > max) {
            errors.add(new FieldError(field, "must be a non-blank string of at most " + max + " characters"));
            return null;
        }
        if (!UnicodeText.isWellFormed(v.textValue())) {
            errors.add(new FieldError(field, UnicodeText.RULE));
            return null;
        }
        return v.textValue().strip();
    }

    private static List<String> tags(JsonNode body, List<FieldError> errors) {
        JsonNode v = body.get("tags");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > MAX_TAGS) {
            errors.add(new FieldError("tags", "must be an array of at most " + MAX_TAGS + " strings"));
            return null;
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode t = v.get(i);
            if (!t.isTextual() || t.textValue().isBlank() || t.textValue().length() > 32) {
                errors.add(new FieldError("tags[" + i + "]", "must be a non-blank string of at most 32 characters"));
            } else if (!UnicodeText.isWellFormed(t.textValue())) {
                errors.add(new FieldError("tags[" + i + "]", UnicodeText.RULE));
            } else if (!tags.contains(t.textValue().strip())) {
                tags.add(t.textValue().strip());
            }
        }
        return tags;
    }
}
