package com.pisync.dynamodb.expression;

import static com.pisync.dynamodb.expression.Items.assertValidation;
import static com.pisync.dynamodb.expression.Items.attributes;
import static com.pisync.dynamodb.expression.Items.item;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.dynamodb.value.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionExpressionTest {

    private static final Map<String, Value> ITEM = item("{'a': {'S': 'x'}, 'b': {'N': '1'},"
            + " 'm': {'M': {'c': {'S': 'y'}, 'd': {'L': [{'M': {'e': {'N': '1'}, 'f': {'N': '2'}}}]}}},"
            + " 'l': {'L': [{'N': '0'}, {'N': '1'}, {'N': '2'}, {'N': '3'}]}, 'status': {'S': 'on'}}");

    private static Projection projection(String expression, String... names) {
        return Expressions.projection(expression, attributes(null, names));
    }

    @Test
    void topLevelAttributesAreCopied() {
        assertEquals(item("{'a': {'S': 'x'}, 'b': {'N': '1'}}"), projection("a, b, absent").apply(ITEM));
    }

    @Test
    void nestedPathsKeepTheirStructure() {
        assertEquals(item("{'m': {'M': {'d': {'L': [{'M': {'f': {'N': '2'}}}]}}}}"), projection("m.d[0].f").apply(ITEM));
        assertEquals(item("{'l': {'L': [{'N': '1'}, {'N': '3'}]}}"), projection("l[3], l[1], l[9]").apply(ITEM));
        assertEquals(item("{'m': {'M': {'c': {'S': 'y'}}}}"), projection("m.c, m.absent").apply(ITEM));
    }

    @Test
    void missingPartsAreLeftOut() {
        assertEquals(Map.of(), projection("m.absent, a.b, l[7]").apply(ITEM));
    }

    @Test
    void topLevelAttributesInOrderOfAppearance() {
        assertEquals(List.of("m", "a", "l"), projection("m.c, a, m.d, l[0]").topLevelAttributes());
    }

    @Test
    void placeholdersForReservedWords() {
        assertEquals(item("{'status': {'S': 'on'}}"), projection("#s", "#s", "status").apply(ITEM));
    }

    @Test
    void overlappingAndConflictingPathsAreRefused() {
        assertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [a], path two: [a, b]", () -> projection("a, a.b"));
        assertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [a], path two: [a]", () -> projection("a, a"));
        assertValidation("Invalid ProjectionExpression: Two document paths conflict with each other; must remove or "
                + "rewrite one of these paths; path one: [a, [0]], path two: [a, b]", () -> projection("a[0], a.b"));
    }

    @Test
    void functionsAndReservedWordsAreRefused() {
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"(\", near: \"attribute_exists(a\"",
                () -> projection("attribute_exists(a)"));
        assertValidation("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                () -> projection("a, name"));
        assertValidation("Invalid ProjectionExpression: An expression attribute name used in the document path is "
                + "not defined; attribute name: #n", () -> projection("#n"));
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"",
                () -> projection("a,"));
        assertValidation("Invalid ProjectionExpression: The expression can not be empty;", () -> projection(""));
    }
}
