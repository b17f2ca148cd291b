package com.pisync.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * DynamoDB's first line of request checks (its Coral framework): constraint violations are collected and
 * reported together as "N validation error(s) detected: Value ... at 'member' failed to satisfy
 * constraint: ...". Also reads request fields with the type errors DynamoDB gives.
 */
public final class Validation {

    public static final Pattern NAME_PATTERN = Pattern.compile("[a-zA-Z0-9_.-]+");

    private final List<String> errors = new ArrayList<>();

    public static Validation start() {
        return new Validation();
    }

    public Validation add(JsonNode value, String member, String constraint) {
        errors.add("Value " + show(value) + " at '" + member + "' failed to satisfy constraint: " + constraint);
        return this;
    }

    public Validation addRaw(String valueText, String member, String constraint) {
        errors.add("Value " + valueText + " at '" + member + "' failed to satisfy constraint: " + constraint);
        return this;
    }

    public Validation notNull(JsonNode value, String member) {
        if (value == null || value.isNull()) {
            errors.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        }
        return this;
    }

    /** A table or index name: not null (if required), pattern, 3 to 255 characters. */
    public Validation name(JsonNode value, String member, boolean required) {
        if (value == null || value.isNull()) {
            if (required) {
                notNull(value, member);
            }
            return this;
        }
        String text = value.asText();
        if (!NAME_PATTERN.matcher(text).matches()) {
            add(value, member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        length(value, member, 3, 255);
        return this;
    }

    public Validation length(JsonNode value, String member, int min, int max) {
        if (value == null || value.isNull()) {
            return this;
        }
        int length = value.isArray() || value.isObject() ? value.size() : value.asText().length();
        if (length < min) {
            add(value, member, "Member must have length greater than or equal to " + min);
        }
        if (length > max) {
            add(value, member, "Member must have length less than or equal to " + max);
        }
        return this;
    }

    public Validation range(JsonNode value, String member, long min, long max) {
        if (value == null || value.isNull()) {
            return this;
        }
        long v = value.asLong();
        if (v < min) {
            add(value, member, "Member must have value greater than or equal to " + min);
        }
        if (v > max) {
            add(value, member, "Member must have value less than or equal to " + max);
        }
        return this;
    }

    /** {@code allowed} in the order DynamoDB prints the set. */
    public Validation oneOf(JsonNode value, String member, String... allowed) {
        if (value == null || value.isNull()) {
            return this;
        }
        for (String a : allowed) {
            if (a.equals(value.asText())) {
                return this;
            }
        }
        add(value, member, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
        return this;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public void check() {
        if (errors.isEmpty()) {
            return;
        }
        int n = errors.size();
        throw DynamoException.validation(n + " validation error" + (n == 1 ? "" : "s") + " detected: "
                + String.join("; ", errors));
    }

    private static String show(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isValueNode()) {
            return "'" + value.asText() + "'";
        }
        return "'" + value + "'";
    }

    // ---- field access -------------------------------------------------------------------------------

    /** A string member, or null when absent; a non-string is DynamoDB's SerializationException. */
    public static String text(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw serialization(v, "String");
        }
        return v.textValue();
    }

    public static Boolean bool(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw serialization(v, "Boolean");
        }
        return v.booleanValue();
    }

    public static Long number(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw serialization(v, "Long");
        }
        return v.longValue();
    }

    public static JsonNode object(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new DynamoException("SerializationException", "Start of structure or map found where not expected");
        }
        return v;
    }

    public static JsonNode array(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new DynamoException("SerializationException", "Start of list found where not expected");
        }
        return v;
    }

    private static DynamoException serialization(JsonNode v, String expected) {
        if (v.isNumber()) {
            return new DynamoException("SerializationException", "NUMBER_VALUE cannot be converted to " + expected);
        }
        if (v.isBoolean()) {
            return new DynamoException("SerializationException", "TRUE_VALUE cannot be converted to " + expected);
        }
        if (v.isTextual()) {
            return new DynamoException("SerializationException", "STRING_VALUE can not be converted to " + expected);
        }
        return new DynamoException("SerializationException", "Unexpected value type in payload");
    }
}
