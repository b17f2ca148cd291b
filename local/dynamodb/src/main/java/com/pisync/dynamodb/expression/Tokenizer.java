package com.pisync.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens; whitespace (space, tab, CR, LF) only separates them. */
final class Tokenizer {

    private Tokenizer() {
    }

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            int start = i;
            if (isIdentStart(c)) {
                i = skipIdentPart(text, i + 1);
                tokens.add(new Token(Token.Kind.IDENT, text.substring(start, i), start, i));
            } else if (c == '#' || c == ':') {
                i = skipIdentPart(text, i + 1);
                tokens.add(new Token(c == '#' ? Token.Kind.NAME_REF : Token.Kind.VALUE_REF,
                        text.substring(start, i), start, i));
            } else if (c >= '0' && c <= '9') {
                while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    i++;
                }
                tokens.add(new Token(Token.Kind.INTEGER, text.substring(start, i), start, i));
            } else if ((c == '<' || c == '>') && i + 1 < n && text.charAt(i + 1) == '=') {
                i += 2;
                tokens.add(new Token(Token.Kind.PUNCT, text.substring(start, i), start, i));
            } else if (c == '<' && i + 1 < n && text.charAt(i + 1) == '>') {
                i += 2;
                tokens.add(new Token(Token.Kind.PUNCT, "<>", start, i));
            } else if ("()[],.=<>+-".indexOf(c) >= 0) {
                i++;
                tokens.add(new Token(Token.Kind.PUNCT, String.valueOf(c), start, i));
            } else {
                i += Character.charCount(text.codePointAt(i));
                tokens.add(new Token(Token.Kind.UNKNOWN, text.substring(start, i), start, i));
            }
        }
        tokens.add(new Token(Token.Kind.EOF, "<EOF>", n, n));
        return tokens;
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static int skipIdentPart(String text, int i) {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (!isIdentStart(c) && !(c >= '0' && c <= '9')) {
                break;
            }
            i++;
        }
        return i;
    }
}
