package com.pisync.dynamodb.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** Test helpers: items and placeholder values written as DynamoDB JSON, and error assertions. */
final class Items {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Items() {
    }

    /** An item from DynamoDB JSON, with single quotes for readability: {@code {'a': {'N': '1'}}}. */
    static Map<String, Value> item(String json) {
        try {
            return ValueJson.item(JSON.readTree(json.replace('\'', '"')));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Value value(String json) {
        try {
            return ValueJson.value(JSON.readTree(json.replace('\'', '"')));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** ExpressionAttributeValues from DynamoDB JSON, e.g. {@code {':v': {'S': 'x'}}}; names as pairs. */
    static ExpressionAttributes attributes(String valuesJson, String... names) {
        Map<String, String> n = null;
        if (names.length > 0) {
            n = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i += 2) {
                n.put(names[i], names[i + 1]);
            }
        }
        return new ExpressionAttributes(n, valuesJson == null ? null : item(valuesJson));
    }

    static void assertValidation(String message, Executable call) {
        DynamoException e = assertThrows(DynamoException.class, call);
        assertEquals("ValidationException", e.type());
        assertEquals(message, e.getMessage());
    }
}
