package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed KeyConditionExpression into a {@link KeyCondition}: only AND of one condition per key
 * attribute. Shape errors carry the "Invalid KeyConditionExpression" prefix; the key schema errors, shared
 * with the legacy KeyConditions, do not.
 */
final class KeyConditions {

    /** One key attribute's condition: operator and its value operands. */
    record Term(KeyCondition.Operator operator, List<Value> values) {
    }

    private KeyConditions() {
    }

    static KeyCondition fromExpression(ConditionNode node, String partitionKey, String sortKey) {
        Map<String, Term> terms = new LinkedHashMap<>();
        collect(node, terms);
        return build(terms, partitionKey, sortKey);
    }

    /** The key schema checks shared with the legacy KeyConditions parameter. */
    static KeyCondition build(Map<String, Term> terms, String partitionKey, String sortKey) {
        if (terms.isEmpty() || terms.size() > 2) {
            throw DynamoException.validation("Conditions can be of length 1 or 2 only");
        }
        Term partition = terms.get(partitionKey);
        if (partition == null) {
            throw DynamoException.validation("Query condition missed key schema element: " + partitionKey);
        }
        if (partition.operator() != KeyCondition.Operator.EQ) {
            throw DynamoException.validation("Query key condition not supported");
        }
        KeyCondition.SortKeyCondition sort = null;
        for (Map.Entry<String, Term> e : terms.entrySet()) {
            if (e.getKey().equals(partitionKey)) {
                continue;
            }
            if (sortKey == null) {
                throw DynamoException.validation("Query key condition not supported");
            }
            if (!e.getKey().equals(sortKey)) {
                throw DynamoException.validation("Query condition missed key schema element: " + sortKey);
            }
            Term t = e.getValue();
            sort = new KeyCondition.SortKeyCondition(t.operator(), t.values().get(0),
                    t.values().size() > 1 ? t.values().get(1) : null);
        }
        return new KeyCondition(partition.values().get(0), sort);
    }

    private static DynamoException shape(String message) {
        return DynamoException.validation("Invalid KeyConditionExpression: " + message);
    }

    private static DynamoException invalidOperator(String operator) {
        return shape("Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static void collect(ConditionNode node, Map<String, Term> terms) {
        if (node instanceof ConditionNode.And and) {
            collect(and.left(), terms);
            collect(and.right(), terms);
        } else if (node instanceof ConditionNode.Or) {
            throw invalidOperator("OR");
        } else if (node instanceof ConditionNode.Not) {
            throw invalidOperator("NOT");
        } else if (node instanceof ConditionNode.In) {
            throw invalidOperator("IN");
        } else if (node instanceof ConditionNode.Compare c) {
            if (c.operator().equals("<>")) {
                throw invalidOperator("<>");
            }
            term(c.operator(), List.of(c.left(), c.right()), terms);
        } else if (node instanceof ConditionNode.Between b) {
            if (!(b.operand() instanceof Operand.PathOperand)) {
                throw firstOperand("BETWEEN");
            }
            term("BETWEEN", List.of(b.operand(), b.low(), b.high()), terms);
        } else if (node instanceof ConditionNode.Function f) {
            String name = f.call().name();
            if (!name.equals("begins_with")) {
                throw invalidOperator(name);
            }
            if (!(f.call().args().get(0) instanceof Operand.PathOperand)) {
                throw firstOperand(name);
            }
            term(name, f.call().args(), terms);
        }
    }

    private static DynamoException firstOperand(String operator) {
        return shape("Invalid condition in KeyConditionExpression: " + operator
                + " operator must have the key attribute as its first operand");
    }

    private static void term(String operator, List<Operand> args, Map<String, Term> terms) {
        String attribute = null;
        int attributeIndex = 0;
        for (int i = 0; i < args.size(); i++) {
            Operand a = args.get(i);
            if (a instanceof Operand.PathOperand p) {
                if (attribute != null) {
                    throw shape("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
                }
                if (p.path().isNested()) {
                    throw shape("KeyConditionExpressions cannot have conditions on nested attributes");
                }
                attribute = p.path().head();
                attributeIndex = i;
            } else if (a instanceof Operand.FunctionCall) {
                throw shape("KeyConditionExpressions cannot contain nested operations");
            }
        }
        if (attribute == null) {
            throw shape("Invalid condition in KeyConditionExpression: No key attribute specified");
        }
        if (terms.containsKey(attribute)) {
            throw shape("KeyConditionExpressions must only contain one condition per key");
        }
        KeyCondition.Operator op;
        switch (attributeIndex == 0 ? operator : flip(operator)) {
            case "=":
                op = KeyCondition.Operator.EQ;
                break;
            case "<":
                op = KeyCondition.Operator.LT;
                break;
            case "<=":
                op = KeyCondition.Operator.LE;
                break;
            case ">":
                op = KeyCondition.Operator.GT;
                break;
            case ">=":
                op = KeyCondition.Operator.GE;
                break;
            case "BETWEEN":
                op = KeyCondition.Operator.BETWEEN;
                break;
            default:
                op = KeyCondition.Operator.BEGINS_WITH;
        }
        List<Value> values = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (i != attributeIndex) {
                values.add(((Operand.ValueOperand) args.get(i)).value());
            }
        }
        terms.put(attribute, new Term(op, values));
    }

    /** {@code :v < sk} is {@code sk > :v}. */
    private static String flip(String operator) {
        switch (operator) {
            case "<":
                return ">";
            case "<=":
                return ">=";
            case ">":
                return "<";
            case ">=":
                return "<=";
            default:
                return operator;
        }
    }
}
