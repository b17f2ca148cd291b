package com.pisync.dynamodb.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A request's ExpressionAttributeNames/Values; tracks which placeholders the expressions used. */
public final class ExpressionAttributes {

    private static final Pattern NAME_KEY = Pattern.compile("#[0-9a-zA-Z_]+");
    private static final Pattern VALUE_KEY = Pattern.compile(":[0-9a-zA-Z_]+");

    private final Map<String, String> names;
    private final Map<String, Value> values;
    private final Set<String> usedNames = new LinkedHashSet<>();
    private final Set<String> usedValues = new LinkedHashSet<>();

    /** Validates the maps as DynamoDB does before it parses any expression; {@code null} means absent. */
    public ExpressionAttributes(Map<String, String> names, Map<String, Value> values) {
        checkNames(names);
        checkValueKeys(values);
        this.names = names == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(names));
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * From the request's JSON (either may be null): keys are checked before any value is read, and a value
     * DynamoDB refuses is reported as "ExpressionAttributeValues contains invalid value: ... for key :v".
     */
    public static ExpressionAttributes fromJson(JsonNode names, JsonNode values) {
        Map<String, String> n = null;
        if (names != null && !names.isNull()) {
            n = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = names.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                n.put(e.getKey(), e.getValue().asText());
            }
        }
        checkNames(n);
        Map<String, Value> v = null;
        if (values != null && !values.isNull()) {
            Map<String, Value> keysOnly = new LinkedHashMap<>();
            values.fieldNames().forEachRemaining(k -> keysOnly.put(k, Value.Null.INSTANCE));
            checkValueKeys(keysOnly);
            v = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (depth(e.getValue()) > MAX_DEPTH) {
                    throw DynamoException.validation("ExpressionAttributeValues contains invalid value: Nesting "
                            + "Levels have exceeded supported limits for key " + e.getKey());
                }
                try {
                    v.put(e.getKey(), ValueJson.value(e.getValue()));
                } catch (DynamoException ex) {
                    if (!ex.type().equals("ValidationException")) {
                        throw ex;
                    }
                    throw DynamoException.validation("ExpressionAttributeValues contains invalid value: "
                            + ex.getMessage() + " for key " + e.getKey());
                }
            }
        }
        return new ExpressionAttributes(n, v);
    }

    /** DynamoDB documents nest at most 32 levels: a scalar is 1, each enclosing M or L adds one. */
    private static final int MAX_DEPTH = 32;

    private static int depth(JsonNode value) {
        JsonNode children = null;
        if (value.isObject()) {
            children = value.has("M") ? value.get("M") : value.get("L");
        }
        if (children == null || !(children.isObject() || children.isArray())) {
            return 1;
        }
        int max = 0;
        for (JsonNode child : children) {
            max = Math.max(max, depth(child));
        }
        return 1 + max;
    }

    private static void checkNames(Map<String, String> names) {
        if (names != null) {
            if (names.isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeNames must not be empty");
            }
            for (String key : names.keySet()) {
                if (!NAME_KEY.matcher(key).matches()) {
                    throw DynamoException.validation(
                            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
                }
            }
        }
    }

    private static void checkValueKeys(Map<String, Value> values) {
        if (values != null) {
            if (values.isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeValues must not be empty");
            }
            for (String key : values.keySet()) {
                if (!VALUE_KEY.matcher(key).matches()) {
                    throw DynamoException.validation(
                            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
                }
            }
        }
    }

    /** No names, no values: for requests that send none. */
    public static ExpressionAttributes none() {
        return new ExpressionAttributes(null, null);
    }

    /**
     * After every expression of a request was parsed: a ValidationException naming the unused placeholders,
     * names first (as DynamoDB checks them), keys sorted.
     */
    public void checkAllUsed() {
        List<String> unusedNames = new ArrayList<>();
        for (String key : names.keySet()) {
            if (!usedNames.contains(key)) {
                unusedNames.add(key);
            }
        }
        Collections.sort(unusedNames);
        if (!unusedNames.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        List<String> unusedValues = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!usedValues.contains(key)) {
                unusedValues.add(key);
            }
        }
        Collections.sort(unusedValues);
        if (!unusedValues.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }

    /** The attribute name behind {@code #placeholder}, marking it used; {@code null} when not defined. */
    String name(String placeholder) {
        String name = names.get(placeholder);
        if (name != null) {
            usedNames.add(placeholder);
        }
        return name;
    }

    /** The value behind {@code :placeholder}, marking it used; {@code null} when not defined. */
    Value value(String placeholder) {
        Value value = values.get(placeholder);
        if (value != null) {
            usedValues.add(placeholder);
        }
        return value;
    }
}
