package com.pisync.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** ProjectionExpression: document paths separated by commas; no functions, no overlapping paths. */
final class ProjectionParser extends ExpressionParser {

    ProjectionParser(String text, ExpressionAttributes attributes) {
        super("ProjectionExpression", text, attributes, Set.of());
    }

    List<Path> parse() {
        List<Path> paths = new ArrayList<>();
        PathChecks checks = new PathChecks(this);
        try {
            paths.add(parsePath("attrName"));
            while (peek().is(",")) {
                pos++;
                paths.add(parsePath("attrName"));
            }
            expectEnd();
        } catch (SyntaxFailure f) {
            throw syntaxError();
        }
        for (Path p : paths) {
            checks.add(p);
        }
        throwErrors("reserved", "attrName", "pathOverlap", "pathConflict");
        return paths;
    }
}
