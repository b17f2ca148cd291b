package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One legacy ComparisonOperator with its AttributeValueList, validated as DynamoDB does (argument counts,
 * one type per list, the types each operator accepts, BETWEEN bounds in order) and mapped onto the
 * equivalent condition expression (NE is {@code <>}, NULL is attribute_not_exists, NOT_CONTAINS is
 * NOT contains, ...).
 */
record LegacyComparison(String operator, List<Value> values, boolean typeChecked) {

    static final Set<String> OPERATORS = Set.of("EQ", "NE", "LE", "LT", "GE", "GT", "NOT_NULL", "NULL", "CONTAINS",
            "NOT_CONTAINS", "BEGINS_WITH", "IN", "BETWEEN");
    private static final Set<String> SCALARS = Set.of("S", "N", "B");
    private static final Map<String, Set<String>> TYPES = Map.of(
            "LE", SCALARS, "LT", SCALARS, "GE", SCALARS, "GT", SCALARS, "IN", SCALARS, "BETWEEN", SCALARS,
            "CONTAINS", Set.of("S", "N", "B", "BOOL", "NULL"), "NOT_CONTAINS", Set.of("S", "N", "B", "BOOL", "NULL"),
            "BEGINS_WITH", Set.of("S", "B"));
    private static final String INVALID = "One or more parameter values were invalid: ";

    LegacyComparison {
        values = List.copyOf(values);
        int n = values.size();
        boolean countOk;
        switch (operator) {
            case "NULL":
            case "NOT_NULL":
                countOk = n == 0;
                break;
            case "IN":
                countOk = n > 0;
                break;
            case "BETWEEN":
                countOk = n == 2;
                break;
            default:
                countOk = n == 1;
        }
        if (!countOk) {
            throw DynamoException.validation(INVALID + "Invalid number of argument(s) for the " + operator
                    + " ComparisonOperator");
        }
        if (n > 0) {
            String type = values.get(0).type();
            for (Value v : values) {
                if (!v.type().equals(type)) {
                    throw DynamoException.validation(INVALID + "AttributeValues inside AttributeValueList must be of "
                            + "same type");
                }
            }
            Set<String> allowed = TYPES.get(operator);
            if (typeChecked && allowed != null && !allowed.contains(type)) {
                throw DynamoException.validation(INVALID + "ComparisonOperator " + operator + " is not valid for "
                        + type + " AttributeValue type");
            }
            if (operator.equals("BETWEEN") && Values.comparable(values.get(0), values.get(1))
                    && Values.compare(values.get(0), values.get(1)) > 0) {
                throw DynamoException.validation("The BETWEEN condition was provided a range where the lower bound is "
                        + "greater than the upper bound");
            }
        }
    }

    ConditionNode toCondition(String attribute) {
        Operand path = new Operand.PathOperand(Path.of(attribute));
        List<Operand> operands = new ArrayList<>();
        for (Value v : values) {
            operands.add(new Operand.ValueOperand(null, v));
        }
        switch (operator) {
            case "EQ":
                return new ConditionNode.Compare("=", path, operands.get(0));
            case "NE":
                return new ConditionNode.Compare("<>", path, operands.get(0));
            case "LE":
                return new ConditionNode.Compare("<=", path, operands.get(0));
            case "LT":
                return new ConditionNode.Compare("<", path, operands.get(0));
            case "GE":
                return new ConditionNode.Compare(">=", path, operands.get(0));
            case "GT":
                return new ConditionNode.Compare(">", path, operands.get(0));
            case "NOT_NULL":
                return function("attribute_exists", path);
            case "NULL":
                return function("attribute_not_exists", path);
            case "CONTAINS":
                return function("contains", path, operands.get(0));
            case "NOT_CONTAINS":
                return new ConditionNode.Not(function("contains", path, operands.get(0)));
            case "BEGINS_WITH":
                return function("begins_with", path, operands.get(0));
            case "IN":
                return new ConditionNode.In(path, operands);
            case "BETWEEN":
                return new ConditionNode.Between(path, operands.get(0), operands.get(1));
            default:
                throw new IllegalStateException(operator);
        }
    }

    private static ConditionNode function(String name, Operand... args) {
        return new ConditionNode.Function(new Operand.FunctionCall(name, List.of(args)));
    }

    /** As a key condition: only the operators a sort key index can serve. */
    KeyConditions.Term toKeyTerm() {
        KeyCondition.Operator op;
        switch (operator) {
            case "EQ":
                op = KeyCondition.Operator.EQ;
                break;
            case "LE":
                op = KeyCondition.Operator.LE;
                break;
            case "LT":
                op = KeyCondition.Operator.LT;
                break;
            case "GE":
                op = KeyCondition.Operator.GE;
                break;
            case "GT":
                op = KeyCondition.Operator.GT;
                break;
            case "BEGINS_WITH":
                op = KeyCondition.Operator.BEGINS_WITH;
                break;
            case "BETWEEN":
                op = KeyCondition.Operator.BETWEEN;
                break;
            default:
                throw DynamoException.validation("Attempted conditional constraint is not an indexable operation");
        }
        return new KeyConditions.Term(op, values);
    }
}
