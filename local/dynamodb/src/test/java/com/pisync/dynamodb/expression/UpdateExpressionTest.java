package com.pisync.dynamodb.expression;

import static com.pisync.dynamodb.expression.Items.assertValidation;
import static com.pisync.dynamodb.expression.Items.attributes;
import static com.pisync.dynamodb.expression.Items.item;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.dynamodb.value.Value;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpdateExpressionTest {

    private static final String VALUES = "{':one': {'N': '1'}, ':zero': {'N': '0'}, ':s': {'S': 'new'},"
            + " ':l': {'L': [{'S': 'z'}]}, ':ss': {'SS': ['b', 'c']}, ':ns': {'NS': ['5']}, ':m': {'M': {}},"
            + " ':big': {'N': '9E+125'}}";

    private static Map<String, Value> apply(String expression, String itemJson) {
        return Expressions.update(expression, attributes(VALUES)).apply(item(itemJson));
    }

    private static void assertApplies(String expected, String expression, String itemJson) {
        assertEquals(item(expected), apply(expression, itemJson));
    }

    @Test
    void setWritesValuesAndCopiesOfOtherAttributes() {
        assertApplies("{'a': {'S': 'new'}, 'b': {'S': 'new'}}", "SET a = :s, b = :s", "{}");
        assertApplies("{'a': {'N': '1'}, 'b': {'N': '1'}}", "SET b = a", "{'a': {'N': '1'}}");
    }

    @Test
    void setValuesAreReadFromTheItemBeforeTheUpdate() {
        assertApplies("{'a': {'N': '2'}, 'b': {'N': '1'}}", "SET a = b, b = a", "{'a': {'N': '1'}, 'b': {'N': '2'}}");
    }

    @Test
    void setAddsAndSubtractsNumbers() {
        assertApplies("{'n': {'N': '3'}}", "SET n = n + :one", "{'n': {'N': '2'}}");
        assertApplies("{'n': {'N': '-1'}}", "SET n = :zero - :one", "{}");
        assertApplies("{'n': {'N': '1'}}", "SET n = if_not_exists(n, :zero) + :one", "{}");
        assertApplies("{'n': {'N': '8'}}", "SET n = if_not_exists(n, :zero) + :one", "{'n': {'N': '7'}}");
    }

    @Test
    void ifNotExistsKeepsAnExistingValue() {
        assertApplies("{'a': {'S': 'old'}}", "SET a = if_not_exists(a, :s)", "{'a': {'S': 'old'}}");
        assertApplies("{'a': {'S': 'new'}}", "SET a = if_not_exists(a, :s)", "{}");
    }

    @Test
    void listAppendJoinsLists() {
        assertApplies("{'l': {'L': [{'S': 'a'}, {'S': 'z'}]}}", "SET l = list_append(l, :l)", "{'l': {'L': [{'S': 'a'}]}}");
        assertApplies("{'l': {'L': [{'S': 'z'}, {'S': 'a'}]}}", "SET l = list_append(:l, l)", "{'l': {'L': [{'S': 'a'}]}}");
        assertApplies("{'l': {'L': [{'S': 'z'}, {'S': 'z'}]}}", "SET l = list_append(if_not_exists(l, :l), :l)", "{}");
    }

    @Test
    void setIntoNestedMapsAndLists() {
        assertApplies("{'m': {'M': {'a': {'M': {'b': {'S': 'new'}}}}}}", "SET m.a.b = :s", "{'m': {'M': {'a': {'M': {}}}}}");
        assertApplies("{'l': {'L': [{'S': 'x'}, {'S': 'new'}]}}", "SET l[1] = :s", "{'l': {'L': [{'S': 'x'}, {'S': 'y'}]}}");
    }

    @Test
    void setPastTheEndOfAListAppends() {
        assertApplies("{'l': {'L': [{'S': 'x'}, {'S': 'new'}]}}", "SET l[5] = :s", "{'l': {'L': [{'S': 'x'}]}}");
    }

    @Test
    void setBelowAMissingOrScalarParentIsInvalid() {
        String message = "The document path provided in the update expression is invalid for update";
        assertValidation(message, () -> apply("SET m.a = :s", "{}"));
        assertValidation(message, () -> apply("SET m.a.b = :s", "{'m': {'M': {}}}"));
        assertValidation(message, () -> apply("SET m.a = :s", "{'m': {'S': 'x'}}"));
        assertValidation(message, () -> apply("SET m[0] = :s", "{'m': {'M': {}}}"));
    }

    @Test
    void removeDeletesAttributesAndShiftsListElements() {
        assertApplies("{'b': {'N': '1'}}", "REMOVE a, c", "{'a': {'N': '1'}, 'b': {'N': '1'}}");
        assertApplies("{'l': {'L': [{'S': 'b'}, {'S': 'd'}]}}", "REMOVE l[0], l[2]",
                "{'l': {'L': [{'S': 'a'}, {'S': 'b'}, {'S': 'c'}, {'S': 'd'}]}}");
        assertApplies("{'l': {'L': [{'S': 'a'}]}}", "REMOVE l[7]", "{'l': {'L': [{'S': 'a'}]}}");
        assertApplies("{'m': {'M': {'y': {'N': '1'}}}}", "REMOVE m.x", "{'m': {'M': {'x': {'N': '1'}, 'y': {'N': '1'}}}}");
    }

    @Test
    void addIncrementsNumbersAndCreatesAbsentAttributes() {
        assertApplies("{'n': {'N': '1'}}", "ADD n :one", "{}");
        assertApplies("{'n': {'N': '3'}}", "ADD n :one", "{'n': {'N': '2'}}");
        assertApplies("{'m': {'M': {'n': {'N': '1'}}}}", "ADD m.n :one", "{'m': {'M': {}}}");
    }

    @Test
    void addUnitesSets() {
        assertApplies("{'s': {'SS': ['a', 'b', 'c']}}", "ADD s :ss", "{'s': {'SS': ['a', 'b']}}");
        assertApplies("{'s': {'NS': ['5']}}", "ADD s :ns", "{}");
    }

    @Test
    void deleteRemovesSetElementsAndTheAttributeWhenTheSetEmpties() {
        assertApplies("{'s': {'SS': ['a']}}", "DELETE s :ss", "{'s': {'SS': ['a', 'b']}}");
        assertApplies("{}", "DELETE s :ss", "{'s': {'SS': ['b', 'c']}}");
        assertApplies("{}", "DELETE s :ss", "{}");
    }

    @Test
    void allSectionsTogetherInAnyOrder() {
        assertApplies("{'a': {'S': 'new'}, 'n': {'N': '2'}, 's': {'SS': ['a']}}",
                "delete s :ss add n :one REMOVE gone SET a = :s",
                "{'n': {'N': '1'}, 's': {'SS': ['a', 'b']}, 'gone': {'BOOL': true}}");
    }

    @Test
    void runtimeTypeErrorsAreDynamoDbs() {
        String wrongType = "An operand in the update expression has an incorrect data type";
        assertValidation(wrongType, () -> apply("SET n = n + :one", "{'n': {'S': 'x'}}"));
        assertValidation(wrongType, () -> apply("ADD n :one", "{'n': {'S': 'x'}}"));
        assertValidation(wrongType, () -> apply("ADD s :ss", "{'s': {'NS': ['1']}}"));
        assertValidation(wrongType, () -> apply("DELETE s :ss", "{'s': {'S': 'b'}}"));
        assertValidation(wrongType, () -> apply("SET l = list_append(l, :l)", "{'l': {'S': 'x'}}"));
        assertValidation("The provided expression refers to an attribute that does not exist in the item",
                () -> apply("SET n = n + :one", "{}"));
        assertValidation("The provided expression refers to an attribute that does not exist in the item",
                () -> apply("SET a = b", "{}"));
    }

    @Test
    void computedNumbersAreCheckedAgainstDynamoDbsRange() {
        assertValidation("Number overflow. Attempting to store a number with magnitude larger than supported range",
                () -> apply("SET n = :big + :big", "{}"));
        assertValidation("Number overflow. Attempting to store a number with magnitude larger than supported range",
                () -> apply("ADD n :big", "{'n': {'N': '9E+125'}}"));
    }

    @Test
    void theCurrentItemIsNeverModified() {
        Map<String, Value> current = item("{'m': {'M': {'a': {'N': '1'}}}, 'n': {'N': '1'}}");
        Map<String, Value> copy = Map.copyOf(current);
        Expressions.update("SET m.a = :s REMOVE n", attributes("{':s': {'S': 'x'}}")).apply(current);
        assertEquals(copy, current);
    }

    @Test
    void topLevelAttributesAndUpdatedPart() {
        Update u = Expressions.update("SET m.a = :s, l[1] = :s REMOVE r ADD n :one",
                attributes("{':s': {'S': 'new'}, ':one': {'N': '1'}}"));
        assertEquals(Set.of("m", "l", "r", "n"), u.topLevelAttributes());
        Map<String, Value> after = u.apply(item("{'m': {'M': {'a': {'N': '1'}, 'b': {'N': '2'}}}, 'r': {'N': '1'},"
                + " 'l': {'L': [{'N': '0'}, {'N': '1'}, {'N': '2'}]}, 'x': {'N': '1'}}"));
        assertEquals(item("{'m': {'M': {'a': {'S': 'new'}}}, 'l': {'L': [{'S': 'new'}]}, 'n': {'N': '1'}}"),
                u.updatedPart(after));
    }

    @Test
    void syntaxErrors() {
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"1\", near: \"VALUE 1\"",
                () -> apply("SET a = VALUE 1", "{}"));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"",
                () -> apply("SET", "{}"));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"+\", near: \":one + :one\"",
                () -> apply("SET a = a + :one + :one", "{}"));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"REMOVE\", near: \", REMOVE b\"",
                () -> apply("SET a = :s, REMOVE b", "{}"));
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"UPSERT\", near: \"UPSERT b\"",
                () -> apply("UPSERT b", "{}"));
    }

    @Test
    void validationErrors() {
        assertValidation("Invalid UpdateExpression: The expression has redundant parentheses;",
                () -> apply("SET n = ((n - :one))", "{}"));
        assertApplies("{'n': {'N': '1'}}", "SET n = (n - :one)", "{'n': {'N': '2'}}");
        assertValidation("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status",
                () -> apply("SET status = :s", "{}"));
        assertValidation("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                () -> apply("SET a = :s SET b = :s", "{}"));
        assertValidation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [a], path two: [a, b]", () -> apply("SET a = :s REMOVE a.b", "{}"));
        assertValidation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [a], path two: [a]", () -> apply("SET a = :s, a = :s", "{}"));
        assertValidation("Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
                + "rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
                () -> apply("SET a.b = :s REMOVE a[0]", "{}"));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
                + "ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND", () -> apply("ADD a :s", "{}"));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
                + "DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND", () -> apply("DELETE a :one", "{}"));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                + "function: +, operand type: S", () -> apply("SET a = :s + :one", "{}"));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                + "function: list_append, operand type: M", () -> apply("SET a = list_append(a, :m)", "{}"));
        assertValidation("Invalid UpdateExpression: The function is not allowed in an update expression; function: "
                + "size", () -> apply("SET a = size(b)", "{}"));
        assertValidation("Invalid UpdateExpression: Invalid function name; function: foo", () -> apply("SET a = foo(b)", "{}"));
        assertValidation("Invalid UpdateExpression: Incorrect number of operands for operator or function; operator "
                + "or function: if_not_exists, number of operands: 1", () -> apply("SET a = if_not_exists(a)", "{}"));
        assertValidation("Invalid UpdateExpression: Operator or function requires a document path; operator or "
                + "function: if_not_exists", () -> apply("SET a = if_not_exists(:s, :s)", "{}"));
        assertValidation("Invalid UpdateExpression: An expression attribute value used in expression is not "
                + "defined; attribute value: :nope", () -> apply("SET a = :nope", "{}"));
        assertValidation("Invalid UpdateExpression: An expression attribute name used in the document path is not "
                + "defined; attribute name: #nope", () -> apply("SET #nope = :s", "{}"));
    }

    @Test
    void placeholdersAreMarkedUsed() {
        ExpressionAttributes a = attributes("{':v': {'N': '1'}, ':w': {'N': '1'}}", "#s", "status");
        Expressions.update("SET #s = :v", a);
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}", a::checkAllUsed);
    }

    @Test
    void nestedListsAndMapsInsideEachOther() {
        assertApplies("{'l': {'L': [{'M': {'x': {'S': 'new'}}}]}}", "SET l[0].x = :s", "{'l': {'L': [{'M': {}}]}}");
        assertApplies("{'m': {'M': {'l': {'L': [{'N': '2'}]}}}}", "REMOVE m.l[0]",
                "{'m': {'M': {'l': {'L': [{'N': '1'}, {'N': '2'}]}}}}");
        assertApplies("{'m': {'M': {'s': {'SS': ['a']}}}}", "DELETE m.s :ss", "{'m': {'M': {'s': {'SS': ['a', 'b']}}}}");
        assertApplies("{'g': {'L': [{'L': [{'N': '0'}, {'S': 'new'}]}]}}", "SET g[0][1] = :s",
                "{'g': {'L': [{'L': [{'N': '0'}, {'N': '1'}]}]}}");
    }

    @Test
    void removeAndAddBelowAMissingParentAreInvalid() {
        String message = "The document path provided in the update expression is invalid for update";
        assertValidation(message, () -> apply("REMOVE m.a", "{}"));
        assertValidation(message, () -> apply("ADD m.n :one", "{}"));
        assertValidation(message, () -> apply("REMOVE m[0]", "{'m': {'M': {}}}"));
    }

    @Test
    void sectionKeywordsAreCaseInsensitiveButNotAttributeNames() {
        assertApplies("{'a': {'S': 'new'}}", "set a = :s remove b", "{'b': {'N': '1'}}");
        assertValidation("Invalid UpdateExpression: Syntax error; token: \"remove\", near: \"= remove\"",
                () -> apply("SET a = remove", "{}"));
    }
}
