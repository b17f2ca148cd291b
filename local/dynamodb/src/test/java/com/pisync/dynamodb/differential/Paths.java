package com.pisync.dynamodb.differential;

import java.util.Random;
import java.util.Set;

/** Writes a document path such as {@code m.a.b} or {@code l[0]}, names sometimes through #placeholders. */
final class Paths {

    /** Attribute names of the workload that are DynamoDB reserved words: always written as placeholders. */
    private static final Set<String> RESERVED = Set.of("status");

    private final Random random;

    Paths(Random random) {
        this.random = random;
    }

    /**
     * A path for a ProjectionExpression: a name followed by a list index is written bare there, because moto
     * reports {@code #l[0]} in a projection as an unused ExpressionAttributeName (DynamoDB accepts it).
     */
    String projection(String path, Placeholders placeholders) {
        return render(path, placeholders, false);
    }

    String render(String path, Placeholders placeholders) {
        return render(path, placeholders, true);
    }

    private String render(String path, Placeholders placeholders, boolean indexedPlaceholders) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (out.length() > 0) {
                out.append('.');
            }
            boolean placeholder = RESERVED.contains(name)
                    || random.nextInt(10) < 3 && (indexedPlaceholders || bracket < 0);
            out.append(placeholder ? placeholders.name(name) : name);
            if (bracket >= 0) {
                out.append(part.substring(bracket));
            }
        }
        return out.toString();
    }
}
