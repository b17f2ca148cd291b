package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Condition, filter and key condition expressions. Precedence as DynamoDB's: OR, then AND, then NOT, then
 * comparisons, BETWEEN, IN, functions and parentheses. Validation errors are collected while parsing and
 * the one DynamoDB reports first is thrown after a syntactically valid parse.
 */
final class ConditionParser extends ExpressionParser {

    private static final Set<String> KEYWORDS = Set.of("BETWEEN", "IN", "AND", "OR", "NOT");
    private static final Set<String> COMPARATORS = Set.of("=", "<>", "<", "<=", ">", ">=");
    private static final Map<String, Integer> FUNCTIONS = Map.of("attribute_exists", 1, "attribute_not_exists", 1,
            "attribute_type", 2, "begins_with", 2, "contains", 2, "size", 1);
    private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    private static final String REDUNDANT = "The expression has redundant parentheses;";
    static final int MAX_IN_OPERANDS = 100;

    /** Packrat memo of parseOr by start position: backtracking over nested parentheses stays linear. */
    private final Map<Integer, Memo> orMemo = new HashMap<>();

    /** parseOr's outcome at a position: the node and where it ended, or no node when it failed. */
    private record Memo(ConditionNode node, int end) {
    }

    ConditionParser(String kind, String text, ExpressionAttributes attributes) {
        super(kind, text, attributes, KEYWORDS);
    }

    ConditionNode parse() {
        ConditionNode node;
        try {
            node = parseOr();
            expectEnd();
        } catch (SyntaxFailure f) {
            throw syntaxError();
        }
        throwErrors("parens", "unknownFunction", "misusedFunction", "reserved", "condition");
        return node;
    }

    private ConditionNode parseOr() {
        int start = pos;
        Memo memo = orMemo.get(start);
        if (memo != null) {
            if (memo.node() == null) {
                throw fail();
            }
            pos = memo.end();
            return memo.node();
        }
        try {
            ConditionNode left = parseAnd();
            if (peek().isKeyword("OR")) {
                pos++;
                left = new ConditionNode.Or(left, parseOr());
            }
            orMemo.put(start, new Memo(left, pos));
            return left;
        } catch (SyntaxFailure f) {
            orMemo.put(start, new Memo(null, start));
            throw f;
        }
    }

    private ConditionNode parseAnd() {
        ConditionNode left = parseNot();
        if (peek().isKeyword("AND")) {
            pos++;
            return new ConditionNode.And(left, parseAnd());
        }
        return left;
    }

    private ConditionNode parseNot() {
        if (peek().isKeyword("NOT")) {
            pos++;
            return new ConditionNode.Not(parseParens());
        }
        return parseParens();
    }

    private ConditionNode parseParens() {
        int save = pos;
        if (peek().is("(") && peek(1).is("(")) {
            try {
                pos += 2;
                ConditionNode node = parseOr();
                expect(")");
                expect(")");
                error("parens", REDUNDANT);
                return node;
            } catch (SyntaxFailure f) {
                pos = save;
            }
        }
        try {
            ConditionNode node = parseCondition();
            checkConditionErrors();
            return node;
        } catch (SyntaxFailure f) {
            pos = save;
        }
        expect("(");
        ConditionNode node = parseOr();
        expect(")");
        return node;
    }

    /** A comparison, BETWEEN, IN or a bare function call. */
    private ConditionNode parseCondition() {
        Parenthesized x = parseOperandParens();
        Token t = peek();
        if (t.kind() == Token.Kind.PUNCT && COMPARATORS.contains(t.text())) {
            pos++;
            Operand y = parseOperandParens().operand();
            checkMisusedFunction(List.of(x.operand(), y));
            checkDistinct(t.text(), List.of(x.operand(), y));
            return new ConditionNode.Compare(t.text(), x.operand(), y);
        }
        if (t.isKeyword("BETWEEN")) {
            pos++;
            Operand low = parseOperandParens().operand();
            expectKeyword("AND");
            Operand high = parseOperandParens().operand();
            checkMisusedFunction(List.of(x.operand(), low, high));
            checkBetween(low, high);
            return new ConditionNode.Between(x.operand(), low, high);
        }
        if (t.isKeyword("IN")) {
            pos++;
            expect("(");
            List<Operand> candidates = parseArguments();
            expect(")");
            List<Operand> all = new ArrayList<>();
            all.add(x.operand());
            all.addAll(candidates);
            checkMisusedFunction(all);
            if (candidates.size() > MAX_IN_OPERANDS) {
                error("function", "The IN operator is provided with too many operands; number of operands: "
                        + candidates.size());
            }
            return new ConditionNode.In(x.operand(), candidates);
        }
        if (x.operand() instanceof Operand.FunctionCall f && !x.parenthesized()) {
            if (f.name().equals("size")) {
                error("misusedFunction", misused(f.name()));
            }
            return new ConditionNode.Function(f);
        }
        throw fail();
    }

    private record Parenthesized(Operand operand, boolean parenthesized) {
    }

    private Parenthesized parseOperandParens() {
        int save = pos;
        if (peek().is("(") && peek(1).is("(")) {
            try {
                pos += 2;
                Operand op = parseOperand();
                expect(")");
                expect(")");
                error("parens", REDUNDANT);
                return new Parenthesized(op, true);
            } catch (SyntaxFailure f) {
                pos = save;
            }
        }
        if (peek().is("(")) {
            try {
                pos++;
                Operand op = parseOperand();
                expect(")");
                return new Parenthesized(op, true);
            } catch (SyntaxFailure f) {
                pos = save;
            }
        }
        return new Parenthesized(parseOperand(), false);
    }

    private Operand parseOperand() {
        if (atFunction()) {
            return parseFunction();
        }
        if (peek().kind() == Token.Kind.VALUE_REF) {
            return parseValue("attrNameVal");
        }
        return new Operand.PathOperand(parsePath("attrNameVal"));
    }

    private List<Operand> parseArguments() {
        List<Operand> args = new ArrayList<>();
        args.add(parseOperandParens().operand());
        while (peek().is(",")) {
            pos++;
            args.add(parseOperandParens().operand());
        }
        return args;
    }

    private Operand.FunctionCall parseFunction() {
        String name = next().text();
        expect("(");
        List<Operand> args = parseArguments();
        expect(")");
        checkMisusedFunction(args);
        checkFunction(name, args);
        return new Operand.FunctionCall(name, args);
    }

    // ---- DynamoDB's static checks

    private void checkConditionErrors() {
        if (hasError("condition")) {
            return;
        }
        for (String category : new String[] {"attrNameVal", "operand", "distinct", "function"}) {
            if (hasError(category)) {
                error("condition", errorOf(category));
                return;
            }
        }
    }

    private static String misused(String function) {
        return "The function is not allowed to be used this way in an expression; function: " + function;
    }

    /** Only size() may be an operand; the other functions are conditions by themselves. */
    private void checkMisusedFunction(List<Operand> operands) {
        for (Operand o : operands) {
            if (o instanceof Operand.FunctionCall f && !f.name().equals("size")) {
                error("misusedFunction", misused(f.name()));
                return;
            }
        }
    }

    private void checkDistinct(String operator, List<Operand> args) {
        if (args.size() == 2 && args.get(0) instanceof Operand.PathOperand a
                && args.get(1) instanceof Operand.PathOperand b && a.path().equals(b.path())) {
            error("distinct", "The first operand must be distinct from the remaining operands for this operator or "
                    + "function; operator: " + operator + ", first operand: " + a.path().display());
        }
    }

    private void checkBetween(Operand low, Operand high) {
        if (hasError("function")) {
            return;
        }
        String t1 = immediateType(low);
        String t2 = immediateType(high);
        if (t1 == null || t2 == null) {
            return;
        }
        Value lo = ((Operand.ValueOperand) low).value();
        Value hi = ((Operand.ValueOperand) high).value();
        String bounds = "lower bound operand: AttributeValue: " + render(lo) + ", upper bound operand: AttributeValue: "
                + render(hi);
        if (!t1.equals(t2)) {
            error("function", "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
        } else if (Values.comparable(lo, hi) && Values.compare(lo, hi) > 0) {
            error("function", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                    + bounds);
        }
    }

    /** A function operand's type as DynamoDB infers it: size() is a number, the others booleans. */
    private static String type(Operand o) {
        if (o instanceof Operand.FunctionCall f) {
            return f.name().equals("size") ? "N" : "BOOL";
        }
        return immediateType(o);
    }

    private void checkFunction(String name, List<Operand> args) {
        if (hasError("unknownFunction")) {
            return;
        }
        Integer operands = FUNCTIONS.get(name);
        if (operands == null) {
            error("unknownFunction", UPDATE_FUNCTIONS.contains(name)
                    ? "The function is not allowed in a condition expression; function: " + name
                    : "Invalid function name; function: " + name);
            return;
        }
        if (hasError("operand")) {
            return;
        }
        if (operands != args.size()) {
            error("operand", "Incorrect number of operands for operator or function; operator or function: " + name
                    + ", number of operands: " + args.size());
            return;
        }
        checkDistinct(name, args);
        if (hasError("function")) {
            return;
        }
        switch (name) {
            case "attribute_exists":
            case "attribute_not_exists":
                if (!(args.get(0) instanceof Operand.PathOperand)) {
                    error("function", "Operator or function requires a document path; operator or function: " + name);
                }
                return;
            case "begins_with":
                for (Operand a : args) {
                    String t = type(a);
                    if (t != null && !t.equals("S") && !t.equals("B")) {
                        error("function", incorrectOperandType(name, t));
                        return;
                    }
                }
                return;
            case "attribute_type": {
                String t = type(args.get(1));
                if (!"S".equals(t)) {
                    error("function", incorrectOperandType(name, t == null ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : t));
                    return;
                }
                String typeName = ((Value.S) ((Operand.ValueOperand) args.get(1)).value()).value();
                if (!Set.of("S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M").contains(typeName)) {
                    error("function", "Invalid attribute type name found; type: " + typeName
                            + ", valid types: { B; BOOL; BS; L; M; N; NS; NULL; S; SS }");
                }
                return;
            }
            case "size": {
                String t = type(args.get(0));
                if (t != null && Set.of("N", "BOOL", "NULL").contains(t)) {
                    error("function", incorrectOperandType(name, t));
                }
                return;
            }
            default:
                return;
        }
    }

    static String incorrectOperandType(String function, String type) {
        return "Incorrect operand type for operator or function; operator or function: " + function
                + ", operand type: " + type;
    }
}
