package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random update expressions: one to four actions on distinct top-level attributes, grouped into SET, REMOVE,
 * ADD and DELETE clauses. Actions never change an attribute's type; the ones meant to fail are requested
 * explicitly ({@link #mainFailing}) and can never succeed, so the run's type invariant holds.
 */
final class Updates {

    /**
     * An update expression and what the generator knows about it.
     *
     * @param targets   the paths its actions write, as written (placeholders included)
     * @param condition a ConditionExpression the update needs, or null
     */
    record Update(String expression, Set<String> tags, String condition, List<String> targets) {
        Update(String expression, Set<String> tags, String condition) {
            this(expression, tags, condition, targetsOf(expression));
        }
    }

    /** The first path of each action: what it writes. */
    static List<String> targetsOf(String expression) {
        List<String> targets = new ArrayList<>();
        for (String clause : expression.split("(?=\\b(SET|REMOVE|ADD|DELETE) )")) {
            String actions = clause.replaceFirst("^(SET|REMOVE|ADD|DELETE) ", "");
            int depth = 0;
            StringBuilder action = new StringBuilder();
            for (char c : (actions + ",").toCharArray()) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (c == ',' && depth == 0) {
                    targets.add(action.toString().trim().split("[ =]")[0]);
                    action.setLength(0);
                } else {
                    action.append(c);
                }
            }
        }
        return targets;
    }

    private final Random random;
    private final Attributes values;
    private final Paths paths;

    Updates(Random random, Attributes values, Paths paths) {
        this.random = random;
        this.values = values;
        this.paths = paths;
    }

    /** A valid update of a Main item (it may still fail at run time, e.g. on an absent path). */
    Update main(Placeholders p, int itemNumber, int sort) {
        Map<String, List<String>> clauses = new LinkedHashMap<>();
        Set<String> touched = new HashSet<>();
        int actions = 1 + random.nextInt(4);
        for (int i = 0; i < actions; i++) {
            mainAction(p, itemNumber, sort, clauses, touched);
        }
        Set<String> tags = runtimeRisks(clauses) > 1 ? Set.of(Step.SEVERAL_RUNTIME_FAILURES) : Set.of();
        return new Update(render(clauses), tags, null);
    }

    /**
     * How many ways the actions may fail depending on the stored item: a nested or indexed target (its parent may
     * be absent), a value read from the item outside if_not_exists (it may be absent). One action can have both.
     */
    static int runtimeRisks(Map<String, List<String>> clauses) {
        int risks = 0;
        for (Map.Entry<String, List<String>> clause : clauses.entrySet()) {
            for (String action : clause.getValue()) {
                String target = action.split("[ =]")[0];
                if (target.contains(".") || target.contains("[")) {
                    risks++;
                }
                if (clause.getKey().equals("SET")) {
                    String value = action.substring(action.indexOf('=') + 1)
                            .replaceAll("if_not_exists\\([^,]*,", "(").replace("list_append", "");
                    if (value.matches(".*(^|[^:\\w])[#a-zA-Z]\\w*.*")) {
                        risks++;
                    }
                }
            }
        }
        return risks;
    }

    /**
     * An update of a Main item that cannot fail whatever the item holds: used in transactions, where moto answers
     * a failing update with a plain ValidationException and DynamoDB with a cancellation reason.
     */
    Update mainSafe(Placeholders p, int itemNumber, int sort) {
        Map<String, List<String>> clauses = new LinkedHashMap<>();
        Set<String> touched = new HashSet<>();
        int actions = 1 + random.nextInt(3);
        for (int i = 0; i < actions; i++) {
            String attribute = pick(Attributes.MAIN_ATTRIBUTES);
            if (!touched.add(attribute)) {
                continue;
            }
            String path = path(p, attribute);
            switch (random.nextInt(4) == 0 ? "remove" : attribute) {
                case "remove" -> add(clauses, "REMOVE", path);
                case "n", "cnt" -> add(clauses, "ADD", path + " " + p.value(values.smallNumber()));
                case "ss", "ns" -> add(clauses, random.nextBoolean() ? "ADD" : "DELETE", path + " "
                        + p.value(attribute.equals("ss") ? values.stringSet() : values.numberSet()));
                case "l" -> add(clauses, "SET", path + " = list_append(if_not_exists(" + path + ", "
                        + p.value(AttributeValue.fromL(List.of())) + "), " + p.value(values.list()) + ")");
                case "gsk" -> add(clauses, "SET", path + " = " + p.value(values.uniqueGroupSortKey(itemNumber)));
                default -> add(clauses, "SET", path + " = " + p.value(values.mainValue(attribute, itemNumber, sort)));
            }
        }
        return new Update(render(clauses), Set.of(), null);
    }

    Update counters(Placeholders p) {
        Map<String, List<String>> clauses = new LinkedHashMap<>();
        Set<String> touched = new HashSet<>();
        int actions = 1 + random.nextInt(3);
        for (int i = 0; i < actions; i++) {
            String attribute = pick(List.of("c", "tags", "note"));
            if (!touched.add(attribute)) {
                continue;
            }
            switch (attribute) {
                case "c" -> {
                    if (random.nextBoolean()) {
                        add(clauses, "ADD", path(p, "c") + " " + p.value(values.smallNumber()));
                    } else {
                        add(clauses, "SET", path(p, "c") + " = if_not_exists(" + path(p, "c") + ", "
                                + p.value(Schema.n("0")) + ") + " + p.value(values.smallNumber()));
                    }
                }
                case "tags" -> {
                    String clause = pick(List.of("ADD", "DELETE", "REMOVE"));
                    add(clauses, clause, path(p, "tags")
                            + (clause.equals("REMOVE") ? "" : " " + p.value(values.stringSet())));
                }
                default -> add(clauses, "SET", path(p, "note") + " = " + p.value(values.string()));
            }
        }
        return new Update(render(clauses), Set.of(), null);
    }

    /**
     * An update DynamoDB refuses: at run time for the stored item's type (tagged {@link Step#RUNTIME_OPERAND_TYPE}),
     * or when parsing it. The condition keeps ADD from creating the attribute with a new type when it is absent.
     */
    Update mainFailing(Placeholders p) {
        return switch (random.nextInt(8)) {
            case 0 -> new Update("SET " + path(p, "s") + " = " + path(p, "s") + " + " + p.value(values.smallNumber()),
                    Set.of(Step.RUNTIME_OPERAND_TYPE), null);
            case 1 -> new Update("SET " + path(p, "n") + " = " + path(p, "l") + " - " + p.value(values.smallNumber()),
                    Set.of(Step.RUNTIME_OPERAND_TYPE), null);
            case 2 -> new Update("ADD " + path(p, "s") + " " + p.value(values.smallNumber()), Set.of(),
                    "attribute_exists(" + path(p, "s") + ")");
            case 3 -> new Update("ADD " + path(p, "ss") + " " + p.value(values.numberSet()), Set.of(),
                    "attribute_exists(" + path(p, "ss") + ")");
            case 4 -> new Update("DELETE " + path(p, "ss") + " " + p.value(values.numberSet()), Set.of(), null);
            case 5 -> new Update("DELETE " + path(p, "ns") + " " + p.value(values.smallNumber()),
                    Set.of(Step.DELETE_NON_SET), null);
            // Both operands literal: moto reads an item path before checking a literal's type, DynamoDB does not.
            case 6 -> new Update("SET " + path(p, "l") + " = list_append(" + p.value(values.list()) + ", "
                    + p.value(values.string()) + ")", Set.of(), null);
            default -> new Update("SET " + path(p, "sk") + " = " + p.value(Schema.s("a#0")), Set.of(), null);
        };
    }

    private void mainAction(Placeholders p, int itemNumber, int sort, Map<String, List<String>> clauses,
                            Set<String> touched) {
        String attribute = pick(Attributes.MAIN_ATTRIBUTES);
        if (!touched.add(attribute)) {
            return;
        }
        String path = path(p, attribute);
        int choice = random.nextInt(10);
        if (choice == 0) {
            add(clauses, "REMOVE", path);
            return;
        }
        switch (attribute) {
            case "n" -> {
                if (choice < 4) {
                    add(clauses, "SET", path + " = " + p.value(values.number()));
                } else if (choice < 7) {
                    // Only + on n, which holds decimals: moto subtracts decimals as binary floats.
                    add(clauses, "SET", path + " = " + path + " + " + p.value(values.number()));
                } else if (choice < 8) {
                    add(clauses, "ADD", path + " " + p.value(values.number()));
                } else if (random.nextBoolean()) {
                    add(clauses, "SET", path + " = " + p.value(values.smallNumber()) + " - " + path(p, "cnt"));
                } else {
                    add(clauses, "SET", path + " = " + path(p, "cnt"));
                }
            }
            case "cnt" -> {
                if (choice < 3) {
                    add(clauses, "SET", path + " = " + path + " - " + p.value(values.smallNumber()));
                } else if (choice < 6) {
                    add(clauses, "SET", path + " = if_not_exists(" + path + ", " + p.value(Schema.n("0")) + ") + "
                            + p.value(values.smallNumber()));
                } else {
                    add(clauses, "ADD", path + " " + p.value(values.smallNumber()));
                }
            }
            case "s" -> add(clauses, "SET", choice < 6 ? path + " = " + p.value(values.string())
                    : path + " = if_not_exists(" + path + ", " + p.value(values.string()) + ")");
            case "ss" -> {
                String clause = pick(List.of("ADD", "DELETE", "SET"));
                add(clauses, clause, path + (clause.equals("SET") ? " = " : " ") + p.value(values.stringSet()));
            }
            case "ns" -> add(clauses, random.nextBoolean() ? "ADD" : "DELETE",
                    path + " " + p.value(values.numberSet()));
            case "l" -> {
                if (choice < 4) {
                    add(clauses, "SET", path + " = list_append(" + path + ", " + p.value(values.list()) + ")");
                } else if (choice < 6) {
                    add(clauses, "SET", path + " = list_append(" + p.value(values.list()) + ", " + path + ")");
                } else if (choice < 7) {
                    add(clauses, "SET", path + " = list_append(if_not_exists(" + path + ", "
                            + p.value(AttributeValue.fromL(List.of())) + "), " + p.value(values.list()) + ")");
                } else if (choice < 8) {
                    add(clauses, "SET", path + "[" + pick(List.of(0, 1, 5)) + "] = " + p.value(values.scalar()));
                } else if (choice < 9) {
                    add(clauses, "REMOVE", random.nextBoolean() ? path + "[" + pick(List.of(0, 1, 3)) + "]"
                            : path + "[0], " + path + "[2]");
                } else {
                    add(clauses, "SET", path + " = " + p.value(values.list()));
                }
            }
            case "m" -> {
                if (choice < 4) {
                    add(clauses, "SET", path + " = " + p.value(values.map()));
                } else if (choice < 5) {
                    add(clauses, "SET", path + ".a.b = " + p.value(values.number()));
                } else if (choice < 6) {
                    add(clauses, "SET", path + ".a.b = " + path + ".a.b + " + p.value(values.smallNumber()));
                } else if (choice < 7) {
                    add(clauses, "SET", path + ".a.c = " + (random.nextBoolean() ? p.value(values.string())
                            : "if_not_exists(" + path + ".a.c, " + p.value(values.string()) + ")"));
                } else if (choice < 8) {
                    add(clauses, "REMOVE", path + pick(List.of(".a.b", ".x", ".x[0]", ".a")));
                } else {
                    add(clauses, "SET", path + ".x = list_append(if_not_exists(" + path + ".x, "
                            + p.value(AttributeValue.fromL(List.of())) + "), " + p.value(values.list()) + ")");
                }
            }
            case "gsk" -> add(clauses, "SET", path + " = " + p.value(values.uniqueGroupSortKey(itemNumber)));
            case "lsk", "gpk", "status", "flag", "nul", "bin", "bs" ->
                    add(clauses, "SET", path + " = " + p.value(values.mainValue(attribute, itemNumber, sort)));
            default -> throw new IllegalArgumentException(attribute);
        }
    }

    private static void add(Map<String, List<String>> clauses, String clause, String action) {
        clauses.computeIfAbsent(clause, c -> new ArrayList<>()).add(action);
    }

    private String render(Map<String, List<String>> clauses) {
        List<String> parts = new ArrayList<>();
        List<String> order = new ArrayList<>(clauses.keySet());
        java.util.Collections.shuffle(order, random);
        for (String clause : order) {
            parts.add(clause + " " + String.join(", ", clauses.get(clause)));
        }
        return String.join(" ", parts);
    }

    private String path(Placeholders p, String attribute) {
        return paths.render(attribute, p);
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
