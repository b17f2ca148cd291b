package com.pisync.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a device upload against the API contract: one event object, or {@code {"events": [..]}}
 * with 1–500 events. Every bad field of every event is reported at once, with its JSON path.
 */
public final class SyncUploadParser {

    public static final int MAX_EVENTS = 500;
    public static final Duration MAX_CLOCK_AHEAD = Duration.ofHours(24);
    private static final int MAX_ID_LENGTH = 64;
    private static final int MAX_ERROR_CODE = 64;
    private static final int MAX_ERROR_MESSAGE = 1000;

    private final Clock clock;

    public SyncUploadParser(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws InvalidRequestException when the body is not an upload at all, or when no event in it
     *     is valid
     */
    public SyncUpload parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("The request body must be a JSON object.", new FieldError("body", "must be a JSON object"));
        }
        if (!body.has("events")) {
            List<FieldError> errors = new ArrayList<>();
            SyncEvent event = parseEvent(body, "", errors);
            if (!errors.isEmpty()) {
                throw invalid("The sync event is invalid.", errors);
            }
            return new SyncUpload(List.of(event), List.of());
        }
        JsonNode events = body.get("events");
        if (!events.isArray() || events.isEmpty()) {
            throw invalid("The upload has no events.",
                    new FieldError("events", "must be an array of 1 to " + MAX_EVENTS + " events"));
        }
        if (events.size() > MAX_EVENTS) {
            throw invalid("The upload has too many events.",
                    new FieldError("events", "must contain at most " + MAX_EVENTS + " events, got " + events.size()));
        }
        List<SyncEvent> accepted = new ArrayList<>();
        List<SyncUpload.Rejection> rejected = new ArrayList<>();
        Map<String, SyncEvent> byEventId = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            String path = "events[" + i + "].";
            List<FieldError> errors = new ArrayList<>();
            SyncEvent event = parseEvent(events.get(i), path, errors);
            if (errors.isEmpty()) {
                // Contract v1.1: one event_id names one sync attempt; reused in the same upload for other
                // content it is refused (an identical repeat is a duplicate, accepted and stored once).
                SyncEvent first = byEventId.putIfAbsent(event.eventId(), event);
                if (first != null && !first.equals(event)) {
                    errors.add(new FieldError(path + "event_id",
                            "is already used in this upload by another event with different content"));
                }
            }
            if (errors.isEmpty()) {
                accepted.add(event);
            } else {
                rejected.add(new SyncUpload.Rejection(i, errors));
            }
        }
        if (accepted.isEmpty()) {
            throw invalid("No event of the upload is valid.",
                    rejected.stream().flatMap(r -> r.errors().stream()).toList());
        }
        return new SyncUpload(accepted, rejected);
    }

    private SyncEvent parseEvent(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            String field = path.isEmpty() ? "body" : path.substring(0, path.length() - 1);
            errors.add(new FieldError(field, "must be a JSON object"));
            return null;
        }
        Fields f = new Fields(node, path, errors);
        String deviceId = f.string("device_id", true, DeviceId.MAX_LENGTH);
        String idProblem = deviceId == null ? null : DeviceId.problem(deviceId);
        if (idProblem != null) {
            f.error("device_id", idProblem);
            deviceId = null;
        }
        String eventId = f.string("event_id", false, MAX_ID_LENGTH);
        Instant timestamp = timestamp(f);
        Long seq = f.nonNegativeInteger("seq", false);
        Long filesSynced = f.nonNegativeInteger("total_files_synced", true);
        Long totalErrors = f.nonNegativeInteger("total_errors", true);
        Double speed = f.nonNegativeNumber("internet_speed", true);
        String errorCode = f.string("error_code", false, MAX_ERROR_CODE);
        String errorMessage = f.string("error_message", false, MAX_ERROR_MESSAGE);
        Long pendingFiles = f.nonNegativeInteger("pending_files", false);
        String commandId = f.string("command_id", false, MAX_ID_LENGTH);
        Instant oldestPendingAt = oldestPendingAt(f, timestamp);
        if (!errors.isEmpty()) {
            return null;
        }
        SyncEvent event = new SyncEvent(deviceId, eventId == null ? "" : eventId, timestamp, seq, filesSynced,
                totalErrors, speed, errorCode, errorMessage, pendingFiles, commandId, oldestPendingAt);
        if (eventId == null) {
            event = new SyncEvent(deviceId, EventIds.derive(event), timestamp, seq, filesSynced, totalErrors, speed,
                    errorCode, errorMessage, pendingFiles, commandId, oldestPendingAt);
        }
        return event;
    }

    private Instant timestamp(Fields f) {
        Instant instant = deviceTime(f, "timestamp", true);
        if (instant == null) {
            return null;
        }
        if (instant.isAfter(clock.instant().plus(MAX_CLOCK_AHEAD))) {
            f.error("timestamp", "must not be more than 24 hours ahead of the server clock");
            return null;
        }
        return instant;
    }

    /**
     * A device time field: ISO-8601 with an offset, not before 1970; null (with the error recorded on the field) when
     * absent or invalid.
     */
    private static Instant deviceTime(Fields f, String field, boolean required) {
        String text = f.string(field, required, 64);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = DeviceTime.parse(text);
        } catch (DateTimeParseException e) {
            f.error(field, "must be an ISO-8601 date-time with a UTC offset, e.g. 2026-11-01T08:03:00Z");
            return null;
        }
        if (instant.isBefore(Instant.EPOCH)) {
            f.error(field, "must not be before 1970-01-01T00:00:00Z");
            return null;
        }
        return instant;
    }

    /** Contract v1.1: optional, ISO-8601 with offset, not after the event's {@code timestamp}. */
    private static Instant oldestPendingAt(Fields f, Instant timestamp) {
        Instant instant = deviceTime(f, "oldest_pending_at", false);
        if (instant == null) {
            return null;
        }
        if (timestamp != null && instant.isAfter(timestamp)) {
            f.error("oldest_pending_at", "must not be after timestamp");
            return null;
        }
        return instant;
    }

    private static InvalidRequestException invalid(String detail, FieldError... errors) {
        return new InvalidRequestException(detail, List.of(errors));
    }

    private static InvalidRequestException invalid(String detail, List<FieldError> errors) {
        return new InvalidRequestException(detail, errors);
    }

    /** Reads typed fields of one JSON object and records what is wrong with them. */
    private static final class Fields {
        private final JsonNode node;
        private final String path;
        private final List<FieldError> errors;

        Fields(JsonNode node, String path, List<FieldError> errors) {
            this.node = node;
            this.path = path;
            this.errors = errors;
        }

        void error(String field, String message) {
            errors.add(new FieldError(path + field, message));
        }

        /** The field, or null when absent or JSON null; records "is required" when it must be there. */
        private JsonNode present(String field, boolean required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    error(field, "is required");
                }
                return null;
            }
            return value;
        }

        String string(String field, boolean required, int maxLength) {
            JsonNode value = present(field, required);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                error(field, "must be a string");
                return null;
            }
            String text = value.textValue();
            int length = text.codePointCount(0, text.length());
            if (length < 1 || length > maxLength) {
                error(field, "must be 1–" + maxLength + " characters long");
                return null;
            }
            if (!UnicodeText.isWellFormed(text)) {
                error(field, UnicodeText.RULE);
                return null;
            }
            return text;
        }

        Long nonNegativeInteger(String field, boolean required) {
            JsonNode value = present(field, required);
            if (value == null) {
                return null;
            }
            boolean integral = value.isIntegralNumber()
                    || (value.isFloatingPointNumber() && value.canConvertToExactIntegral());
            if (!integral || !value.canConvertToLong()) {
                error(field, "must be an integer");
                return null;
            }
            long n = value.longValue();
            if (n < 0) {
                error(field, "must be ≥ 0");
                return null;
            }
            return n;
        }

        Double nonNegativeNumber(String field, boolean required) {
            JsonNode value = present(field, required);
            if (value == null) {
                return null;
            }
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                error(field, "must be a number");
                return null;
            }
            double d = value.doubleValue();
            if (d < 0) {
                error(field, "must be ≥ 0");
                return null;
            }
            return d == 0.0 ? 0.0 : d; // no negative zero
        }
    }
}
