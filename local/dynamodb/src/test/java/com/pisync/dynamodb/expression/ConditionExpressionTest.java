package com.pisync.dynamodb.expression;

import static com.pisync.dynamodb.expression.Items.assertValidation;
import static com.pisync.dynamodb.expression.Items.attributes;
import static com.pisync.dynamodb.expression.Items.item;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.value.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionExpressionTest {

    private static final String VALUES = "{':s': {'S': 'abc'}, ':n': {'N': '10'}, ':m': {'N': '2'}, ':b': {'B': 'AAE='},"
            + " ':t': {'S': 'N'}, ':x': {'S': 'x'}, ':y': {'S': 'y'}}";
    private static final Map<String, Value> ITEM = item("{'s': {'S': 'abcdef'}, 'n': {'N': '5'}, 'bin': {'B': 'AAEC'},"
            + " 'ss': {'SS': ['x', 'z']}, 'ns': {'NS': ['1', '10']}, 'l': {'L': [{'S': 'x'}, {'N': '10'}]},"
            + " 'm': {'M': {'nested': {'L': [{'M': {'deep': {'S': 'x'}}}]}}}, 'nul': {'NULL': true},"
            + " 'flag': {'BOOL': true}}");

    private static boolean test(String expression, Map<String, Value> item) {
        return Expressions.condition(expression, attributes(VALUES)).test(item);
    }

    private static boolean test(String expression) {
        return test(expression, ITEM);
    }

    @Test
    void attributeNotExistsHoldsForAnAbsentItem() {
        assertTrue(test("attribute_not_exists(pk)", Map.of()));
        assertFalse(test("attribute_exists(pk)", Map.of()));
        assertFalse(test("attribute_not_exists(s)"));
        assertTrue(test("attribute_exists(m.nested[0].deep)"));
        assertFalse(test("attribute_exists(m.nested[1].deep)"));
    }

    @Test
    void comparesNumbersByValueAndStringsByBytes() {
        assertTrue(test("n < :n"));
        assertTrue(test("n <= :n"));
        assertFalse(test("n > :n"));
        assertTrue(test(":n >= n"));
        assertTrue(test("s > :s"));
        assertTrue(test("s <> :s"));
        assertTrue(test("l[1] = :n"));
        assertTrue(Expressions.condition("a < :b", attributes("{':b': {'S': '\u00e9'}}"))
                .test(item("{'a': {'S': 'z'}}")));
    }

    @Test
    void comparingDifferentTypesIsFalseNotAnError() {
        assertFalse(test("s < :n"));
        assertFalse(test("s = :n"));
        assertFalse(test("s >= :n"));
        assertFalse(test("ss > :s"));
        assertTrue(test("s <> :n"));
    }

    @Test
    void aMissingAttributeEqualsNothingAndDiffersFromEverything() {
        assertFalse(test("absent = :s"));
        assertFalse(test("absent < :s"));
        assertTrue(test("absent <> :s"));
        assertTrue(test(":s <> absent"));
        assertFalse(test("absent <> absent2"));
    }

    @Test
    void betweenIsInclusiveAndTypeBound() {
        assertTrue(test("n BETWEEN :n AND :n", item("{'n': {'N': '10'}}")));
        assertTrue(test("n between :m and :n"));
        assertFalse(test("s BETWEEN :m AND :n"));
    }

    @Test
    void inMatchesAnyCandidate() {
        assertTrue(test("n IN (:m, :n, :s)", item("{'n': {'N': '2'}}")));
        assertFalse(test("n IN (:m, :n)"));
        assertFalse(test("absent IN (:m)"));
    }

    @Test
    void orBindsLooserThanAndAndNotTighterThanAnd() {
        // OR(false, AND(true, false)) = false; a left-to-right reading would give true.
        assertFalse(test("n = :m OR n = :m AND s = :s OR n = :n AND s = :s"));
        assertTrue(test("n = :m OR n < :n AND s > :s"));
        assertFalse(test("NOT n < :n AND s > :s OR n = :m"));
        assertTrue(test("NOT (n = :m AND s = :s)"));
        assertTrue(test("(n = :m OR n < :n) AND s > :s"));
    }

    @Test
    void beginsWithOnStringsAndBinaries() {
        assertTrue(test("begins_with(s, :s)"));
        assertFalse(test("begins_with(s, :x)"));
        assertTrue(test("begins_with(bin, :b)"));
        assertFalse(test("begins_with(l, :s)"));
    }

    @Test
    void containsSubstringsSetMembersAndListElements() {
        assertTrue(test("contains(s, :s)"));
        assertTrue(test("contains(ss, :x)"));
        assertFalse(test("contains(ss, :y)"));
        assertTrue(test("contains(ns, :n)"));
        assertTrue(test("contains(l, :n)"));
        assertTrue(test("contains(l, :x)"));
        assertFalse(test("contains(n, :n)"));
    }

    @Test
    void sizeCountsCharactersBytesAndElements() {
        assertTrue(test("size(s) = :n", item("{'s': {'S': '0123456789'}}")));
        assertTrue(test("size(bin) < :n"));
        assertTrue(test("size(ss) = :m"));
        assertTrue(test("size(l) = :m"));
        assertTrue(test("size(m) < :m"));
        assertFalse(test("size(n) > :m"));
        assertFalse(test("size(absent) < :n"));
    }

    @Test
    void attributeTypeNamesTheStoredType() {
        assertTrue(test("attribute_type(n, :t)"));
        assertFalse(test("attribute_type(s, :t)"));
        assertFalse(test("attribute_type(absent, :t)"));
    }

    @Test
    void placeholdersStandForReservedNames() {
        ExpressionAttributes a = attributes("{':v': {'S': 'on'}}", "#s", "status", "#d", "data");
        assertTrue(Expressions.condition("#s = :v AND attribute_not_exists(#d.#s)", a)
                .test(item("{'status': {'S': 'on'}}")));
        a.checkAllUsed();
    }

    @Test
    void emptyExpressionIsRefused() {
        assertValidation("Invalid ConditionExpression: The expression can not be empty;",
                () -> Expressions.condition("", attributes(null)));
        assertValidation("Invalid FilterExpression: The expression can not be empty;",
                () -> Expressions.filter("", attributes(null)));
    }

    @Test
    void syntaxErrorsNameTheTokenAndItsNeighbours() {
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"",
                () -> test("a = "));
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :s\"",
                () -> test("a == :s"));
        assertValidation("Invalid FilterExpression: Syntax error; token: \"b\", near: \"a b\"",
                () -> Expressions.filter("a b", attributes(null)));
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"+\", near: \"n + :m\"",
                () -> test("a = n + :m"));
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"!\", near: \":s!\"",
                () -> test("a = :s!"));
        assertValidation("Invalid ConditionExpression: Syntax error; token: \"AND\", near: \"NOT AND n\"",
                () -> test("a = :s AND NOT AND n = :n"));
    }

    @Test
    void bareReservedWordsAreRefused() {
        assertValidation("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Status",
                () -> test("Status = :s"));
        assertValidation("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: data",
                () -> test("attribute_exists(a.data)"));
    }

    @Test
    void undefinedPlaceholdersAreRefused() {
        assertValidation("Invalid ConditionExpression: An expression attribute name used in the document path is "
                + "not defined; attribute name: #x", () -> test("#x = :s"));
        assertValidation("Invalid ConditionExpression: An expression attribute value used in expression is not "
                + "defined; attribute value: :nope", () -> test("a = :nope"));
    }

    @Test
    void functionsAreCheckedByNameArityAndPlace() {
        assertValidation("Invalid ConditionExpression: Invalid function name; function: foo", () -> test("foo(a)"));
        assertValidation("Invalid ConditionExpression: Invalid function name; function: SIZE",
                () -> test("SIZE(a) = :n"));
        assertValidation("Invalid ConditionExpression: The function is not allowed in a condition expression; "
                + "function: if_not_exists", () -> test("a = if_not_exists(a, :s)"));
        assertValidation("Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                + "operator or function: begins_with, number of operands: 1", () -> test("begins_with(a)"));
        assertValidation("Invalid ConditionExpression: The function is not allowed to be used this way in an "
                + "expression; function: size", () -> test("size(a)"));
        assertValidation("Invalid ConditionExpression: The function is not allowed to be used this way in an "
                + "expression; function: attribute_exists", () -> test("attribute_exists(a) = :s"));
        assertValidation("Invalid ConditionExpression: Operator or function requires a document path; operator "
                + "or function: attribute_exists", () -> test("attribute_exists(:s)"));
        assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; operator "
                + "or function: begins_with, operand type: N", () -> test("begins_with(a, :n)"));
        assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; operator "
                + "or function: size, operand type: N", () -> test("size(:n) = :n"));
        assertValidation("Invalid ConditionExpression: Invalid attribute type name found; type: abc, valid types: "
                + "{ B; BOOL; BS; L; M; N; NS; NULL; S; SS }", () -> test("attribute_type(a, :s)"));
    }

    @Test
    void operandsMustBeDistinctAndBetweenBoundsOrdered() {
        assertValidation("Invalid ConditionExpression: The first operand must be distinct from the remaining "
                + "operands for this operator or function; operator: =, first operand: [a, [0]]",
                () -> test("a[0] = a[0]"));
        assertValidation("Invalid ConditionExpression: The first operand must be distinct from the remaining "
                + "operands for this operator or function; operator: contains, first operand: [data]",
                () -> Expressions.condition("contains(#d, #d)", attributes(null, "#d", "data")));
        assertValidation("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
                + "than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: "
                + "AttributeValue: {N:2}", () -> test("a BETWEEN :n AND :m"));
        assertValidation("Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and "
                + "upper bounds; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: "
                + "{S:abc}", () -> test("a BETWEEN :m AND :s"));
    }

    @Test
    void redundantParenthesesAreRefused() {
        assertValidation("Invalid ConditionExpression: The expression has redundant parentheses;",
                () -> test("((a = :s))"));
        assertValidation("Invalid ConditionExpression: The expression has redundant parentheses;",
                () -> test("((a)) = :s"));
        assertTrue(test("((n = :m) OR (n < :n))"));
    }

    @Test
    void errorsAreReportedInDynamoDbsOrderNotTextOrder() {
        // A reserved word comes after an undefined value in the text, but DynamoDB reports it first.
        assertValidation("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size",
                () -> test("a = :nope AND size = :s"));
        // An unknown function outranks a reserved word.
        assertValidation("Invalid ConditionExpression: Invalid function name; function: foo",
                () -> test("status = :s AND foo(a)"));
    }

    @Test
    void inTakesAtMostOneHundredCandidates() {
        StringBuilder list = new StringBuilder(":s");
        for (int i = 0; i < 100; i++) {
            list.append(", :s");
        }
        assertValidation("Invalid ConditionExpression: The IN operator is provided with too many operands; "
                + "number of operands: 101", () -> test("a IN (" + list + ")"));
    }

    @Test
    void deeplyNestedParenthesesParseQuickly() {
        String e = "n < :n";
        for (int i = 0; i < 60; i++) {
            e = "(" + e + " OR n = :m)";
        }
        assertTrue(test(e));
    }

    @Test
    void expressionsAreLimitedToFourKilobytes() {
        String atLimit = "a = :s" + " ".repeat(4096 - 6);
        assertFalse(test(atLimit));
        assertValidation("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
                + "expression size: 4097", () -> test(atLimit + " "));
    }
}
