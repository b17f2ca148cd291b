package com.pisync.dynamodb.differential;

import java.util.List;
import java.util.Random;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random condition and filter expressions over the workload's attributes. Comparisons keep both sides of one
 * type (moto fails with an internal error on an ordering comparison across types, where DynamoDB answers
 * false); only {@code =} and {@code <>} are also tried across types. {@code size()} is guarded by
 * {@code attribute_exists} (moto fails with an internal error on the size of an absent attribute, where
 * DynamoDB answers false) and left out of filters (moto refuses it there: "Bad Filter Expression").
 */
final class Conditions {

    private static final List<String> ORDERINGS = List.of("=", "<>", "<", "<=", ">", ">=");
    private static final List<String> MAIN_PATHS = List.of("pk", "n", "s", "ss", "ns", "l", "m", "m.a", "m.a.b",
            "l[0]", "l[1]", "m.x[0]", "status", "gpk", "gsk", "flag", "nul", "bin", "cnt", "nope");
    private static final List<String> TYPES = List.of("S", "N", "SS", "NS", "L", "M", "NULL", "BOOL", "B");

    private final Random random;
    private final Attributes values;
    private final Paths paths;

    Conditions(Random random, Attributes values, Paths paths) {
        this.random = random;
        this.values = values;
        this.paths = paths;
    }

    /** A ConditionExpression on a Main item: atoms joined by AND / OR, sometimes negated or parenthesised. */
    String main(Placeholders p) {
        return combine(p, true, false, 0);
    }

    /** A FilterExpression on Main items. */
    String mainFilter(Placeholders p) {
        return combine(p, true, true, 0);
    }

    String counters(Placeholders p) {
        return combine(p, false, false, 0);
    }

    String countersFilter(Placeholders p) {
        return combine(p, false, true, 0);
    }

    private String combine(Placeholders p, boolean main, boolean filter, int depth) {
        int shape = random.nextInt(10);
        if (depth < 2 && shape < 2) {
            String joiner = random.nextBoolean() ? " AND " : " OR ";
            return combine(p, main, filter, depth + 1) + joiner + combine(p, main, filter, depth + 1);
        }
        if (depth < 2 && shape == 2) {
            return "(" + combine(p, main, filter, depth + 1) + (random.nextBoolean() ? " AND " : " OR ")
                    + combine(p, main, filter, depth + 1) + ")";
        }
        String atom = main ? mainAtom(p, filter) : counterAtom(p, filter);
        return shape == 3 ? "NOT " + atom : atom;
    }

    private String mainAtom(Placeholders p, boolean filter) {
        int kind = random.nextInt(16);
        if (filter && kind == 9) {
            kind = 0;
        }
        return switch (kind) {
            case 0 -> "attribute_exists(" + path(p, pick(MAIN_PATHS)) + ")";
            case 1 -> "attribute_not_exists(" + path(p, pick(MAIN_PATHS)) + ")";
            case 2 -> path(p, "n") + " " + pick(ORDERINGS) + " " + p.value(values.number());
            case 3 -> path(p, "s") + " " + pick(ORDERINGS) + " " + p.value(values.string());
            case 4 -> path(p, pick(List.of("cnt", "m.a.b", "gsk"))) + " " + pick(ORDERINGS) + " "
                    + p.value(values.smallNumber());
            case 5 -> between(p);
            case 6 -> path(p, "s") + " IN (" + p.value(values.string()) + ", " + p.value(values.string()) + ", "
                    + p.value(values.string()) + ")";
            case 7 -> "begins_with(" + path(p, pick(List.of("s", "sk", "lsk", "m.a.c"))) + ", "
                    + p.value(Schema.s(pick(List.of("a", "ab", "l1", "b#", "h", "😀", "")))) + ")";
            case 8 -> contains(p);
            // Not of strings: what DynamoDB counts in a non-ASCII string (bytes, characters, UTF-16 units) is
            // not settled, and moto and the engine count differently.
            case 9 -> size(p, pick(List.of("ss", "ns", "l", "m", "bin", "m.x")), pick(ORDERINGS));
            case 10 -> "attribute_type(" + path(p, pick(MAIN_PATHS)) + ", " + p.value(Schema.s(pick(TYPES))) + ")";
            case 11 -> path(p, "status") + " = " + p.value(Schema.s(pick(Schema.STATUSES)));
            case 12 -> path(p, "flag") + " " + pick(List.of("=", "<>")) + " "
                    + p.value(AttributeValue.fromBool(random.nextBoolean()));
            // A string: moto holds BOOL true equal to the number 1 (Python's True == 1).
            case 13 -> path(p, pick(List.of("n", "s", "l[0]", "m.x[1]"))) + " " + pick(List.of("=", "<>")) + " "
                    + p.value(values.string());
            // Guarded: moto holds two absent attributes equal, DynamoDB holds any comparison with one false.
            case 14 -> "(attribute_exists(" + path(p, "n") + ") AND attribute_exists(" + path(p, "cnt") + ") AND "
                    + path(p, "n") + " " + pick(ORDERINGS) + " " + path(p, "cnt") + ")";
            default -> path(p, "gpk") + " = " + p.value(Schema.s(pick(Schema.GROUPS)));
        };
    }

    private String counterAtom(Placeholders p, boolean filter) {
        int kind = random.nextInt(6);
        if (filter && kind == 5) {
            kind = 0;
        }
        return switch (kind) {
            case 0 -> "attribute_exists(" + path(p, pick(List.of("id", "c", "tags", "note"))) + ")";
            case 1 -> "attribute_not_exists(" + path(p, pick(List.of("id", "c", "tags", "note"))) + ")";
            case 2 -> path(p, "c") + " " + pick(ORDERINGS) + " " + p.value(values.smallNumber());
            case 3 -> "contains(" + path(p, "tags") + ", " + p.value(Schema.s(pick(List.of("a", "b", "c")))) + ")";
            case 4 -> path(p, "id") + " " + pick(ORDERINGS) + " " + p.value(Schema.n(pick(Schema.COUNTER_IDS)));
            default -> size(p, "tags", ">");
        };
    }

    /** Parenthesised so that NOT and neighbouring OR apply to the guard and the size together. */
    private String size(Placeholders p, String attribute, String ordering) {
        String path = path(p, attribute);
        return "(attribute_exists(" + path + ") AND size(" + path + ") " + ordering + " "
                + p.value(Schema.n(Integer.toString(random.nextInt(5)))) + ")";
    }

    /** On gsk, which is never 0: moto's BETWEEN holds an attribute equal to 0 outside any range. */
    private String between(Placeholders p) {
        int low = (random.nextInt(13) - 3) * 1000;
        int high = low + random.nextInt(5000);
        return path(p, "gsk") + " BETWEEN " + p.value(Schema.n(Integer.toString(low))) + " AND "
                + p.value(Schema.n(Integer.toString(high)));
    }

    private String contains(Placeholders p) {
        return switch (random.nextInt(4)) {
            case 0 -> "contains(" + path(p, "s") + ", "
                    + p.value(Schema.s(pick(List.of("a", "b", "l", "x", "本")))) + ")";
            case 1 -> "contains(" + path(p, "ss") + ", " + p.value(Schema.s(pick(List.of("a", "b", "é")))) + ")";
            case 2 -> "contains(" + path(p, "ns") + ", " + p.value(Schema.n(pick(List.of("1", "2", "5.5")))) + ")";
            // Strings only: moto finds BOOL true in a list holding the number 1 (Python's True == 1).
            default -> "contains(" + path(p, "l") + ", " + p.value(values.string()) + ")";
        };
    }

    private String path(Placeholders p, String path) {
        return paths.render(path, p);
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
