package com.pisync.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB's refusal of paths that overlap (one is a prefix of, or equal to, another) or conflict (one
 * indexes a list where the other names a map attribute), in projections and updates.
 */
final class PathChecks {

    private final ExpressionParser parser;
    private final List<Path> paths = new ArrayList<>();

    PathChecks(ExpressionParser parser) {
        this.parser = parser;
    }

    void add(Path path) {
        if (parser.hasError("pathOverlap")) {
            return;
        }
        for (Path seen : paths) {
            check(seen, path);
            if (parser.hasError("pathOverlap")) {
                return;
            }
        }
        paths.add(path);
    }

    private void check(Path one, Path two) {
        for (int i = 0; i < one.size() && i < two.size(); i++) {
            Object a = one.get(i);
            Object b = two.get(i);
            if (a.getClass() != b.getClass()) {
                parser.error("pathConflict", "Two document paths conflict with each other; must remove or rewrite one "
                        + "of these paths; path one: " + one.display() + ", path two: " + two.display());
                return;
            }
            if (!a.equals(b)) {
                return;
            }
        }
        parser.error("pathOverlap", "Two document paths overlap with each other; must remove or rewrite one of "
                + "these paths; path one: " + one.display() + ", path two: " + two.display());
    }
}
