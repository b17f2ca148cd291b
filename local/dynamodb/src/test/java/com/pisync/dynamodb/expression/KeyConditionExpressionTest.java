package com.pisync.dynamodb.expression;

import static com.pisync.dynamodb.expression.Items.assertValidation;
import static com.pisync.dynamodb.expression.Items.attributes;
import static com.pisync.dynamodb.expression.Items.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.expression.KeyCondition.Operator;
import org.junit.jupiter.api.Test;

class KeyConditionExpressionTest {

    private static final String VALUES = "{':p': {'S': 'user#1'}, ':a': {'S': 'a'}, ':b': {'S': 'b'}, ':n': {'N': '1'}}";

    private static final String INVALID = "Invalid KeyConditionExpression: ";
    private static final String OPERATOR = INVALID + "Invalid operator used in KeyConditionExpression: ";
    private static final String CONDITION = INVALID + "Invalid condition in KeyConditionExpression: ";

    private static KeyCondition key(String expression) {
        return Expressions.keyCondition(expression, attributes(VALUES), "pk", "sk");
    }

    @Test
    void partitionKeyAlone() {
        KeyCondition k = key("pk = :p");
        assertEquals(value("{'S': 'user#1'}"), k.partitionValue());
        assertNull(k.sortKey());
    }

    @Test
    void sortKeyComparisonsInEitherOrder() {
        KeyCondition k = key("pk = :p AND sk < :b");
        assertEquals(Operator.LT, k.sortKey().operator());
        assertTrue(k.sortKey().test(value("{'S': 'a'}")));
        assertFalse(k.sortKey().test(value("{'S': 'b'}")));
        // :b > sk is sk < :b; the sort key may also come first.
        assertEquals(Operator.LT, key(":b > sk AND pk = :p").sortKey().operator());
        assertEquals(Operator.GE, key("pk = :p AND :a <= sk").sortKey().operator());
    }

    @Test
    void betweenAndBeginsWith() {
        KeyCondition.SortKeyCondition between = key("pk = :p AND sk BETWEEN :a AND :b").sortKey();
        assertEquals(Operator.BETWEEN, between.operator());
        assertTrue(between.test(value("{'S': 'a'}")));
        assertTrue(between.test(value("{'S': 'abc'}")));
        assertTrue(between.test(value("{'S': 'b'}")));
        assertFalse(between.test(value("{'S': 'ba'}")));
        KeyCondition.SortKeyCondition prefix = key("begins_with(sk, :a) AND pk = :p").sortKey();
        assertEquals(Operator.BEGINS_WITH, prefix.operator());
        assertTrue(prefix.test(value("{'S': 'abc'}")));
        assertFalse(prefix.test(value("{'S': 'ba'}")));
        assertFalse(prefix.test(value("{'N': '1'}")));
    }

    @Test
    void placeholderNamesResolveToKeyAttributes() {
        KeyCondition k = Expressions.keyCondition("#k = :p", attributes(VALUES.replace(", ':a': {'S': 'a'}, ':b': "
                + "{'S': 'b'}, ':n': {'N': '1'}", ""), "#k", "pk"), "pk", null);
        assertEquals(value("{'S': 'user#1'}"), k.partitionValue());
    }

    @Test
    void operatorsOtherThanComparisonsBetweenAndBeginsWithAreRefused() {
        assertValidation(OPERATOR + "OR", () -> key("pk = :p OR sk = :a"));
        assertValidation(OPERATOR + "NOT", () -> key("NOT pk = :p"));
        assertValidation(OPERATOR + "IN", () -> key("pk IN (:p, :a)"));
        assertValidation(OPERATOR + "<>", () -> key("pk <> :p"));
        assertValidation(OPERATOR + "attribute_exists",
                () -> key("pk = :p AND attribute_exists(sk)"));
        assertValidation(OPERATOR + "contains", () -> key("contains(pk, :a)"));
    }

    @Test
    void conditionsMustNameOneTopLevelKeyAttribute() {
        assertValidation(INVALID + "KeyConditionExpressions cannot contain nested operations",
                () -> key("size(pk) = :n"));
        assertValidation(CONDITION + "BETWEEN "
                + "operator must have the key attribute as its first operand", () -> key(":a BETWEEN sk AND :b"));
        assertValidation(CONDITION + "begins_with operator must have the key "
                + "attribute as its first operand", () -> key("begins_with(:a, sk)"));
        assertValidation(CONDITION + "Multiple attribute names used in one condition",
                () -> key("pk = sk"));
        assertValidation(INVALID + "KeyConditionExpressions cannot have conditions on nested attributes",
                () -> key("pk.a = :p"));
        assertValidation(CONDITION + "No key attribute specified",
                () -> key(":a = :b"));
        assertValidation(INVALID + "KeyConditionExpressions must only contain one condition per key",
                () -> key("pk = :p AND sk > :a AND sk < :b"));
        assertValidation("Conditions can be of length 1 or 2 only", () -> key("pk = :p AND sk > :a AND x = :b"));
    }

    @Test
    void theKeySchemaDecidesWhatIsSupported() {
        assertValidation("Query condition missed key schema element: pk", () -> key("sk = :a"));
        assertValidation("Query key condition not supported", () -> key("pk > :p"));
        assertValidation("Query key condition not supported", () -> key("begins_with(pk, :p)"));
        assertValidation("Query condition missed key schema element: sk", () -> key("pk = :p AND attr = :a"));
        assertValidation("Query key condition not supported", () -> Expressions.keyCondition(
                "pk = :p AND attr = :a", attributes("{':p': {'S': 'x'}, ':a': {'S': 'a'}}"), "pk", null));
    }

    @Test
    void parserErrorsCarryTheExpressionPrefix() {
        assertValidation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater "
                + "than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: "
                + "AttributeValue: {S:a}", () -> key("pk = :p AND sk BETWEEN :b AND :a"));
        assertValidation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator "
                + "or function: begins_with, operand type: N", () -> key("pk = :p AND begins_with(sk, :n)"));
        assertValidation("Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"",
                () -> key("pk = :p AND"));
    }
}
