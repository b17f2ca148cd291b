package com.pisync.dynamodb.expression;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the expression parsers share: tokens with backtracking (the furthest failure is the syntax error
 * DynamoDB reports), document paths with placeholder resolution, and validation errors collected by
 * category so that the one DynamoDB reports first wins, whatever their order in the text.
 */
abstract class ExpressionParser {

    /** DynamoDB's limit on an expression string, in UTF-8 bytes. */
    static final int MAX_SIZE = 4096;

    final String kind;
    final String text;
    final ExpressionAttributes attributes;
    final List<Token> tokens;
    private final Set<String> keywords;
    int pos;
    private int furthest;
    private final Map<String, String> errors = new HashMap<>();

    ExpressionParser(String kind, String text, ExpressionAttributes attributes, Set<String> keywords) {
        this.kind = kind;
        this.text = text;
        this.attributes = attributes;
        this.keywords = keywords;
        if (text.isEmpty()) {
            throw invalid("The expression can not be empty;");
        }
        int size = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > MAX_SIZE) {
            throw invalid("Expression size has exceeded the maximum allowed size; expression size: " + size);
        }
        this.tokens = Tokenizer.tokenize(text);
    }

    // ---- tokens

    Token peek() {
        return tokens.get(pos);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.EOF) {
            pos++;
        }
        return t;
    }

    /** This alternative does not match at the current token. */
    SyntaxFailure fail() {
        furthest = Math.max(furthest, pos);
        return SyntaxFailure.INSTANCE;
    }

    void expect(String punct) {
        if (!peek().is(punct)) {
            throw fail();
        }
        pos++;
    }

    void expectKeyword(String word) {
        if (!peek().isKeyword(word)) {
            throw fail();
        }
        pos++;
    }

    void expectEnd() {
        if (peek().kind() != Token.Kind.EOF) {
            throw fail();
        }
    }

    boolean isKeyword(Token t) {
        return t.kind() == Token.Kind.IDENT && keywords.contains(t.text().toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * DynamoDB's syntax error: the token where reading stopped and the text from the token before it to the
     * token after it.
     */
    DynamoException syntaxError() {
        int at = Math.max(furthest, pos);
        Token bad = tokens.get(at);
        int from = at > 0 ? tokens.get(at - 1).start() : bad.start();
        int to = at + 1 < tokens.size() ? tokens.get(at + 1).end() : bad.end();
        if (bad.kind() == Token.Kind.EOF) {
            to = text.length();
        }
        return invalid("Syntax error; token: \"" + bad.text() + "\", near: \"" + text.substring(from, to) + "\"");
    }

    DynamoException invalid(String message) {
        return DynamoException.validation("Invalid " + kind + ": " + message);
    }

    // ---- validation errors, the first of each category kept

    void error(String category, String message) {
        errors.putIfAbsent(category, message);
    }

    boolean hasError(String category) {
        return errors.containsKey(category);
    }

    String errorOf(String category) {
        return errors.get(category);
    }

    /** Throws the pending error of the first category in {@code order} that has one. */
    void throwErrors(String... order) {
        for (String category : order) {
            String message = errors.get(category);
            if (message != null) {
                throw invalid(message);
            }
        }
    }

    // ---- paths and placeholders

    /** A document path: names or #placeholders, then {@code .name} and {@code [index]} parts. */
    Path parsePath(String nameErrorCategory) {
        List<Object> elements = new ArrayList<>();
        elements.add(parsePathName(nameErrorCategory));
        while (true) {
            if (peek().is(".")) {
                pos++;
                elements.add(parsePathName(nameErrorCategory));
            } else if (peek().is("[")) {
                pos++;
                Token index = peek();
                if (index.kind() != Token.Kind.INTEGER) {
                    throw fail();
                }
                int value;
                try {
                    value = Integer.parseInt(index.text());
                } catch (NumberFormatException e) {
                    throw fail();
                }
                pos++;
                expect("]");
                elements.add(value);
            } else {
                return new Path(elements);
            }
        }
    }

    private String parsePathName(String nameErrorCategory) {
        Token t = peek();
        if (t.kind() == Token.Kind.IDENT && !isKeyword(t)) {
            pos++;
            if (ReservedWords.isReserved(t.text())) {
                error("reserved", "Attribute name is a reserved keyword; reserved keyword: " + t.text());
            }
            return t.text();
        }
        if (t.kind() == Token.Kind.NAME_REF) {
            pos++;
            String name = attributes.name(t.text());
            if (name == null) {
                error(nameErrorCategory,
                        "An expression attribute name used in the document path is not defined; attribute name: "
                                + t.text());
                return t.text();
            }
            return name;
        }
        throw fail();
    }

    Operand.ValueOperand parseValue(String valueErrorCategory) {
        Token t = peek();
        if (t.kind() != Token.Kind.VALUE_REF) {
            throw fail();
        }
        pos++;
        Value value = attributes.value(t.text());
        if (value == null) {
            error(valueErrorCategory,
                    "An expression attribute value used in expression is not defined; attribute value: " + t.text());
        }
        return new Operand.ValueOperand(t.text(), value);
    }

    /** Whether the current token starts a function call: a name (not a keyword) then {@code (}. */
    boolean atFunction() {
        return peek().kind() == Token.Kind.IDENT && !isKeyword(peek()) && peek(1).is("(");
    }

    // ---- static types, for the checks DynamoDB makes before it reads any item

    /** The type of a value operand; null for paths and unresolved values. */
    static String immediateType(Operand o) {
        if (o instanceof Operand.ValueOperand v && v.value() != null) {
            return v.value().type();
        }
        return null;
    }

    /** {@code {N:1}}, as the BETWEEN messages show a value. */
    static String render(Value v) {
        String shown;
        if (v instanceof Value.S s) {
            shown = s.value();
        } else if (v instanceof Value.N n) {
            shown = n.text();
        } else if (v instanceof Value.B b) {
            shown = b.base64();
        } else {
            shown = com.pisync.dynamodb.value.ValueJson.toJson(v).get(v.type()).toString();
        }
        return "{" + v.type() + ":" + shown + "}";
    }
}
