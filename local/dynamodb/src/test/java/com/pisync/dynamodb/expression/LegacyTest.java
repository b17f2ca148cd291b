package com.pisync.dynamodb.expression;

import static com.pisync.dynamodb.expression.Items.assertValidation;
import static com.pisync.dynamodb.expression.Items.item;
import static com.pisync.dynamodb.expression.Items.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.dynamodb.value.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LegacyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Value> ITEM = item("{'a': {'S': 'abc'}, 'n': {'N': '5'}, 'ss': {'SS': ['x', 'y']},"
            + " 'l': {'L': [{'BOOL': true}]}}");

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean filter(String conditions) {
        return Legacy.filter(json(conditions), null).test(ITEM);
    }

    @Test
    void everyComparisonOperator() {
        assertTrue(filter("{'a': {'ComparisonOperator': 'EQ', 'AttributeValueList': [{'S': 'abc'}]}}"));
        assertTrue(filter("{'a': {'ComparisonOperator': 'NE', 'AttributeValueList': [{'S': 'x'}]}}"));
        assertTrue(filter("{'zz': {'ComparisonOperator': 'NE', 'AttributeValueList': [{'S': 'x'}]}}"));
        assertTrue(filter("{'n': {'ComparisonOperator': 'LE', 'AttributeValueList': [{'N': '5'}]}}"));
        assertFalse(filter("{'n': {'ComparisonOperator': 'LT', 'AttributeValueList': [{'N': '5'}]}}"));
        assertTrue(filter("{'n': {'ComparisonOperator': 'GE', 'AttributeValueList': [{'N': '5'}]}}"));
        assertFalse(filter("{'n': {'ComparisonOperator': 'GT', 'AttributeValueList': [{'S': '5'}]}}"));
        assertTrue(filter("{'n': {'ComparisonOperator': 'NOT_NULL'}}"));
        assertTrue(filter("{'zz': {'ComparisonOperator': 'NULL'}}"));
        assertTrue(filter("{'a': {'ComparisonOperator': 'CONTAINS', 'AttributeValueList': [{'S': 'bc'}]}}"));
        assertTrue(filter("{'ss': {'ComparisonOperator': 'CONTAINS', 'AttributeValueList': [{'S': 'y'}]}}"));
        assertTrue(filter("{'l': {'ComparisonOperator': 'CONTAINS', 'AttributeValueList': [{'BOOL': true}]}}"));
        assertTrue(filter("{'ss': {'ComparisonOperator': 'NOT_CONTAINS', 'AttributeValueList': [{'S': 'z'}]}}"));
        assertTrue(filter("{'a': {'ComparisonOperator': 'BEGINS_WITH', 'AttributeValueList': [{'S': 'ab'}]}}"));
        assertTrue(filter("{'n': {'ComparisonOperator': 'IN', 'AttributeValueList': [{'N': '1'}, {'N': '5'}]}}"));
        assertTrue(filter("{'n': {'ComparisonOperator': 'BETWEEN', 'AttributeValueList': [{'N': '1'}, {'N': '5'}]}}"));
    }

    @Test
    void conditionalOperatorCombinesConditions() {
        String conditions = "{'n': {'ComparisonOperator': 'EQ', 'AttributeValueList': [{'N': '5'}]},"
                + " 'a': {'ComparisonOperator': 'EQ', 'AttributeValueList': [{'S': 'no'}]}}";
        assertFalse(Legacy.filter(json(conditions), null).test(ITEM));
        assertFalse(Legacy.filter(json(conditions), "AND").test(ITEM));
        assertTrue(Legacy.filter(json(conditions), "OR").test(ITEM));
    }

    @Test
    void argumentCountsTypesAndBoundsAreValidated() {
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
                + "ComparisonOperator", () -> filter("{'a': {'ComparisonOperator': 'EQ'}}"));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the NULL "
                + "ComparisonOperator", () -> filter("{'a': {'ComparisonOperator': 'NULL', 'AttributeValueList': "
                + "[{'S': 'a'}]}}"));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN "
                + "ComparisonOperator", () -> filter("{'a': {'ComparisonOperator': 'BETWEEN', 'AttributeValueList': "
                + "[{'S': 'a'}]}}"));
        assertValidation("One or more parameter values were invalid: AttributeValues inside AttributeValueList must "
                + "be of same type", () -> filter("{'a': {'ComparisonOperator': 'IN', 'AttributeValueList': "
                + "[{'S': 'b'}, {'N': '1'}]}}"));
        assertValidation("One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL "
                + "AttributeValue type", () -> filter("{'a': {'ComparisonOperator': 'LT', 'AttributeValueList': "
                + "[{'BOOL': true}]}}"));
        assertValidation("One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for "
                + "N AttributeValue type", () -> filter("{'a': {'ComparisonOperator': 'BEGINS_WITH', "
                + "'AttributeValueList': [{'N': '1'}]}}"));
        assertValidation("The BETWEEN condition was provided a range where the lower bound is greater than the upper "
                + "bound", () -> filter("{'a': {'ComparisonOperator': 'BETWEEN', 'AttributeValueList': "
                + "[{'S': 'b'}, {'S': 'a'}]}}"));
    }

    @Test
    void expectedValueAndExistsForms() {
        assertTrue(Legacy.expected(json("{'a': {'Value': {'S': 'abc'}}}"), null).test(ITEM));
        assertTrue(Legacy.expected(json("{'a': {'Value': {'S': 'abc'}, 'Exists': true}}"), null).test(ITEM));
        assertFalse(Legacy.expected(json("{'a': {'Exists': false}}"), null).test(ITEM));
        assertTrue(Legacy.expected(json("{'a': {'Exists': false}}"), null).test(Map.of()));
        assertTrue(Legacy.expected(json("{'n': {'ComparisonOperator': 'GT', 'Value': {'N': '1'}}}"), null).test(ITEM));
    }

    @Test
    void expectedShapeErrors() {
        assertValidation("One or more parameter values were invalid: Value must be provided when Exists is true for "
                + "Attribute: a", () -> Legacy.expected(json("{'a': {'Exists': true}}"), null));
        assertValidation("One or more parameter values were invalid: Value must be provided when Exists is null for "
                + "Attribute: a", () -> Legacy.expected(json("{'a': {}}"), null));
        assertValidation("One or more parameter values were invalid: Value cannot be used when Exists is false for "
                + "Attribute: a", () -> Legacy.expected(json("{'a': {'Exists': false, 'Value': {'S': 'x'}}}"), null));
        assertValidation("One or more parameter values were invalid: Exists and ComparisonOperator cannot be used "
                + "together for Attribute: a", () -> Legacy.expected(json("{'a': {'Exists': true, "
                + "'ComparisonOperator': 'NULL'}}"), null));
        assertValidation("One or more parameter values were invalid: Value and AttributeValueList cannot be used "
                + "together for Attribute: a", () -> Legacy.expected(json("{'a': {'Value': {'S': 'x'}, "
                + "'AttributeValueList': [], 'ComparisonOperator': 'EQ'}}"), null));
        assertValidation("One or more parameter values were invalid: Value or AttributeValueList must be used with "
                + "ComparisonOperator: EQ for Attribute: a", () -> Legacy.expected(json("{'a': "
                + "{'ComparisonOperator': 'EQ'}}"), null));
        assertValidation("One or more parameter values were invalid: AttributeValueList can only be used with a "
                + "ComparisonOperator for Attribute: a", () -> Legacy.expected(json("{'a': {'AttributeValueList': "
                + "[{'S': 'x'}]}}"), null));
    }

    @Test
    void keyConditions() {
        KeyCondition k = Legacy.keyConditions(json("{'pk': {'ComparisonOperator': 'EQ', 'AttributeValueList': "
                + "[{'S': 'p'}]}, 'sk': {'ComparisonOperator': 'BEGINS_WITH', 'AttributeValueList': [{'S': 'a'}]}}"),
                "pk", "sk");
        assertEquals(value("{'S': 'p'}"), k.partitionValue());
        assertEquals(KeyCondition.Operator.BEGINS_WITH, k.sortKey().operator());
        assertNull(Legacy.keyConditions(json("{'pk': {'ComparisonOperator': 'EQ', 'AttributeValueList': "
                + "[{'S': 'p'}]}}"), "pk", null).sortKey());
        assertValidation("Conditions can be of length 1 or 2 only", () -> Legacy.keyConditions(json("{}"), "pk", "sk"));
        assertValidation("Attempted conditional constraint is not an indexable operation", () -> Legacy.keyConditions(
                json("{'pk': {'ComparisonOperator': 'NE', 'AttributeValueList': [{'S': 'p'}]}}"), "pk", "sk"));
        assertValidation("Query condition missed key schema element: pk", () -> Legacy.keyConditions(
                json("{'sk': {'ComparisonOperator': 'EQ', 'AttributeValueList': [{'S': 'p'}]}}"), "pk", "sk"));
        assertValidation("Query key condition not supported", () -> Legacy.keyConditions(
                json("{'pk': {'ComparisonOperator': 'GT', 'AttributeValueList': [{'S': 'p'}]}}"), "pk", "sk"));
    }

    @Test
    void attributeUpdatesPutAddDelete() {
        Update u = Legacy.attributeUpdates(json("{'a': {'Value': {'S': 'new'}}, 'n': {'Action': 'ADD', 'Value': "
                + "{'N': '2'}}, 'ss': {'Action': 'DELETE', 'Value': {'SS': ['x', 'y']}}, 'l': {'Action': 'ADD', "
                + "'Value': {'L': [{'N': '1'}]}}, 'gone': {'Action': 'DELETE'}, 'fresh': {'Action': 'ADD', 'Value': "
                + "{'NS': ['1']}}}"));
        Map<String, Value> after = u.apply(item("{'a': {'S': 'abc'}, 'n': {'N': '5'}, 'ss': {'SS': ['x', 'y']},"
                + " 'l': {'L': [{'BOOL': true}]}, 'gone': {'N': '1'}}"));
        assertEquals(item("{'a': {'S': 'new'}, 'n': {'N': '7'}, 'l': {'L': [{'BOOL': true}, {'N': '1'}]},"
                + " 'fresh': {'NS': ['1']}}"), after);
        assertEquals(Set.of("a", "n", "ss", "l", "gone", "fresh"), u.topLevelAttributes());
        assertEquals(item("{'a': {'S': 'new'}, 'n': {'N': '7'}}"),
                Legacy.attributeUpdates(json("{'a': {'Value': {'S': 'x'}}, 'n': {'Value': {'N': '1'}}}"))
                        .updatedPart(after));
    }

    @Test
    void attributeUpdatesErrors() {
        assertValidation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute "
                + "value is specified", () -> Legacy.attributeUpdates(json("{'a': {'Action': 'PUT'}}")));
        assertValidation("One or more parameter values were invalid: DELETE action with value is not supported for "
                + "the type S", () -> Legacy.attributeUpdates(json("{'a': {'Action': 'DELETE', 'Value': {'S': 'x'}}}")));
        assertValidation("One or more parameter values were invalid: ADD action is not supported for the type S",
                () -> Legacy.attributeUpdates(json("{'a': {'Action': 'ADD', 'Value': {'S': 'x'}}}")));
        assertValidation("Type mismatch for attribute to update", () -> Legacy.attributeUpdates(
                json("{'a': {'Action': 'ADD', 'Value': {'N': '1'}}}")).apply(ITEM));
    }

    @Test
    void attributesToGetProjectsTopLevelNames() {
        Projection p = Legacy.attributesToGet(json("['a', 'zz', 'n']"));
        assertEquals(item("{'a': {'S': 'abc'}, 'n': {'N': '5'}}"), p.apply(ITEM));
        assertEquals(List.of("a", "zz", "n"), p.topLevelAttributes());
        assertValidation("One or more parameter values were invalid: Duplicate value in attribute name: a",
                () -> Legacy.attributesToGet(json("['a', 'a']")));
    }
}
