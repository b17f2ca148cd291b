package com.pisync.dynamodb.expression;

import static com.pisync.dynamodb.expression.Items.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.dynamodb.value.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionAttributesTest {

    @Test
    void emptyMapsAreRefused() {
        assertValidation("ExpressionAttributeNames must not be empty", () -> new ExpressionAttributes(Map.of(), null));
        assertValidation("ExpressionAttributeValues must not be empty", () -> new ExpressionAttributes(null, Map.of()));
    }

    @Test
    void keysMustBePlaceholders() {
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"x\"",
                () -> new ExpressionAttributes(Map.of("x", "y"), null));
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"",
                () -> new ExpressionAttributes(Map.of("#a-b", "y"), null));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
                () -> new ExpressionAttributes(null, Map.of("v", Value.s("x"))));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \":\"",
                () -> new ExpressionAttributes(null, Map.of(":", Value.s("x"))));
    }

    @Test
    void unusedPlaceholdersAreNamedNamesFirstAndSorted() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("#c", "c");
        names.put("#b", "b");
        names.put("#a", "a");
        Map<String, Value> values = new LinkedHashMap<>();
        values.put(":x", Value.n(1));
        values.put(":y", Value.n(2));
        ExpressionAttributes attributes = new ExpressionAttributes(names, values);
        Expressions.condition("#b = :y", attributes);
        assertValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}",
                attributes::checkAllUsed);
        Expressions.projection("#a, #c", attributes);
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}",
                attributes::checkAllUsed);
        Expressions.update("SET z = :x", attributes);
        attributes.checkAllUsed();
    }

    @Test
    void theReservedWordListIsComplete() {
        assertEquals(573, ReservedWords.count());
    }

    @Test
    void fromJsonChecksKeysBeforeValuesAndNamesTheBadValuesKey() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertValidation("ExpressionAttributeValues contains invalid value: One or more parameter values were "
                + "invalid: An string set  may not be empty for key :v", () -> ExpressionAttributes.fromJson(
                        json.readTree("{\"#n\": \"a\"}"), json.readTree("{\":v\": {\"SS\": []}}")));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
                () -> ExpressionAttributes.fromJson(null, json.readTree("{\":w\": {\"SS\": []}, \"v\": {\"S\": \"x\"}}")));
        ExpressionAttributes a = ExpressionAttributes.fromJson(json.readTree("{\"#n\": \"status\"}"),
                json.readTree("{\":v\": {\"N\": \"1\"}}"));
        assertEquals(true, Expressions.condition("#n = :v", a).test(Map.of("status", Value.n(1))));
        a.checkAllUsed();
    }

    @Test
    void valuesNestedDeeperThanThirtyTwoLevelsAreRefused() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String deep32 = "{\"S\": \"x\"}";
        for (int i = 1; i < 32; i++) {
            deep32 = "{\"L\": [" + deep32 + "]}";
        }
        ExpressionAttributes.fromJson(null, json.readTree("{\":v\": " + deep32 + "}"));
        String deep33 = "{\"M\": {\"k\": " + deep32 + "}}";
        assertValidation("ExpressionAttributeValues contains invalid value: Nesting Levels have exceeded supported "
                + "limits for key :v", () -> ExpressionAttributes.fromJson(null, json.readTree("{\":v\": " + deep33 + "}")));
    }
}
