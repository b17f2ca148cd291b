package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * UpdateExpression: SET, REMOVE, ADD and DELETE sections, each at most once, in any order. SET values are
 * an operand, {@code a + b}, {@code a - b}, if_not_exists(path, value) or list_append(list1, list2).
 */
final class UpdateParser extends ExpressionParser {

    private static final Set<String> SECTIONS = Set.of("SET", "REMOVE", "ADD", "DELETE");
    private static final Map<String, String> TYPE_NAMES = Map.of("S", "STRING", "N", "NUMBER", "B", "BINARY",
            "NULL", "NULL", "BOOL", "BOOLEAN", "L", "LIST", "M", "MAP");
    private static final Set<String> CONDITION_FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists",
            "attribute_type", "begins_with", "contains", "size");

    private final Set<String> sections = new HashSet<>();
    private final PathChecks pathChecks = new PathChecks(this);

    UpdateParser(String text, ExpressionAttributes attributes) {
        super("UpdateExpression", text, attributes, SECTIONS);
    }

    List<UpdateAction> parse() {
        List<UpdateAction> actions = new ArrayList<>();
        try {
            parseSection(actions);
            while (peek().kind() != Token.Kind.EOF) {
                parseSection(actions);
            }
        } catch (SyntaxFailure f) {
            throw syntaxError();
        }
        throwErrors("parens", "reserved", "unknownFunction", "section", "attrName", "attrVal", "pathOverlap", "pathConflict",
                "operand", "function");
        return actions;
    }

    private void parseSection(List<UpdateAction> actions) {
        Token t = peek();
        if (!isKeyword(t)) {
            throw fail();
        }
        pos++;
        String section = t.text().toUpperCase(Locale.ROOT);
        actions.add(parseAction(section));
        while (peek().is(",")) {
            pos++;
            actions.add(parseAction(section));
        }
        if (!sections.add(section)) {
            error("section", "The \"" + section + "\" section can only be used once in an update expression;");
        }
    }

    private UpdateAction parseAction(String section) {
        Path path = parsePath("attrName");
        UpdateAction action;
        switch (section) {
            case "SET":
                expect("=");
                action = new UpdateAction.Set(path, parseSetValue());
                break;
            case "REMOVE":
                action = new UpdateAction.Remove(path);
                break;
            case "ADD":
                action = new UpdateAction.Add(path, operatorValue("ADD", parseValue("attrVal")));
                break;
            default:
                action = new UpdateAction.Delete(path, operatorValue("DELETE", parseValue("attrVal")));
        }
        pathChecks.add(path);
        return action;
    }

    /** ADD takes a number or a set, DELETE a set: anything else is refused before reading the item. */
    private Value operatorValue(String operator, Operand.ValueOperand operand) {
        Value v = operand.value();
        if (v != null && !hasError("operand")) {
            String typeName = TYPE_NAMES.get(v.type());
            if (typeName != null && !(operator.equals("ADD") && v instanceof Value.N)) {
                error("operand", "Incorrect operand type for operator or function; operator: " + operator
                        + ", operand type: " + typeName + ", typeSet: ALLOWED_FOR_" + operator + "_OPERAND");
            }
        }
        return v;
    }

    private Operand parseSetValue() {
        int save = pos;
        if (peek().is("(") && peek(1).is("(")) {
            try {
                pos += 2;
                Operand v = parseArithmetic();
                expect(")");
                expect(")");
                error("parens", "The expression has redundant parentheses;");
                return v;
            } catch (SyntaxFailure f) {
                pos = save;
            }
        }
        if (peek().is("(")) {
            try {
                pos++;
                Operand v = parseArithmetic();
                expect(")");
                return v;
            } catch (SyntaxFailure f) {
                pos = save;
            }
        }
        return parseArithmetic();
    }

    private Operand parseArithmetic() {
        Operand left = parseOperandParens();
        if (peek().is("+") || peek().is("-")) {
            String operator = next().text();
            Operand right = parseOperandParens();
            checkFunction(operator, List.of(left, right));
            return new Operand.Arithmetic(operator, left, right);
        }
        return left;
    }

    private Operand parseOperandParens() {
        int save = pos;
        if (peek().is("(")) {
            try {
                pos++;
                Operand op = parseOperand();
                expect(")");
                return op;
            } catch (SyntaxFailure f) {
                pos = save;
            }
        }
        return parseOperand();
    }

    private Operand parseOperand() {
        if (atFunction()) {
            String name = next().text();
            expect("(");
            List<Operand> args = new ArrayList<>();
            args.add(parseOperandParens());
            while (peek().is(",")) {
                pos++;
                args.add(parseOperandParens());
            }
            expect(")");
            checkFunction(name, args);
            return new Operand.FunctionCall(name, args);
        }
        if (peek().kind() == Token.Kind.VALUE_REF) {
            return parseValue("attrVal");
        }
        return new Operand.PathOperand(parsePath("attrName"));
    }

    private void checkFunction(String name, List<Operand> args) {
        if (hasError("unknownFunction")) {
            return;
        }
        boolean arithmetic = name.equals("+") || name.equals("-");
        if (!arithmetic && !name.equals("if_not_exists") && !name.equals("list_append")) {
            error("unknownFunction", CONDITION_FUNCTIONS.contains(name)
                    ? "The function is not allowed in an update expression; function: " + name
                    : "Invalid function name; function: " + name);
            return;
        }
        if (hasError("function")) {
            return;
        }
        if (args.size() != 2) {
            error("function", "Incorrect number of operands for operator or function; operator or function: " + name
                    + ", number of operands: " + args.size());
            return;
        }
        if (name.equals("if_not_exists")) {
            if (!(args.get(0) instanceof Operand.PathOperand)) {
                error("function", "Operator or function requires a document path; operator or function: " + name);
            }
            return;
        }
        String required = arithmetic ? "N" : "L";
        for (Operand a : args) {
            String t = immediateType(a);
            if (t != null && !t.equals(required)) {
                error("function", ConditionParser.incorrectOperandType(name, t));
                return;
            }
        }
    }
}
