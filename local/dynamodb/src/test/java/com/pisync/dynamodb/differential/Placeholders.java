package com.pisync.dynamodb.differential;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The ExpressionAttributeNames and -Values one request collects while its expressions are generated. */
final class Placeholders {

    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();

    /** A fresh {@code :vN} placeholder for the value. */
    String value(AttributeValue value) {
        String key = ":v" + values.size();
        values.put(key, value);
        return key;
    }

    /** The {@code #nN} placeholder for an attribute name, reused when the name already has one. */
    String name(String attribute) {
        for (Map.Entry<String, String> entry : names.entrySet()) {
            if (entry.getValue().equals(attribute)) {
                return entry.getKey();
            }
        }
        String key = "#n" + names.size();
        names.put(key, attribute);
        return key;
    }

    /** Null when empty: DynamoDB refuses an empty map. */
    Map<String, String> names() {
        return names.isEmpty() ? null : names;
    }

    Map<String, AttributeValue> values() {
        return values.isEmpty() ? null : values;
    }
}
