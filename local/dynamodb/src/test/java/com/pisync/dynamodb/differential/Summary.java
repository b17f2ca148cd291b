package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts of what a run did: answers per operation, and deviations tolerated per category with examples. */
final class Summary {

    private static final int EXAMPLES = 3;

    private final Map<String, Map<String, Integer>> answers = new TreeMap<>();
    private final Map<Deviation, Integer> deviations = new EnumMap<>(Deviation.class);
    private final Map<Deviation, List<Integer>> examples = new EnumMap<>(Deviation.class);
    private int steps;

    void answered(Step step, Outcome outcome) {
        steps++;
        String answer = "ok";
        if (outcome.get("clientError") != null) {
            answer = "client:" + outcome.get("clientError");
        } else if (outcome.get("error") != null) {
            // A ValidationException has no SDK class of its own: show the code after the class.
            Object code = outcome.get("code");
            answer = code == null || code.equals(outcome.get("error"))
                    ? String.valueOf(outcome.get("error")) : outcome.get("error") + "/" + code;
        }
        answers.computeIfAbsent(step.operation(), k -> new TreeMap<>()).merge(answer, 1, Integer::sum);
    }

    void tolerated(Step step, Iterable<Deviation> applied) {
        for (Deviation deviation : applied) {
            deviations.merge(deviation, 1, Integer::sum);
            List<Integer> steps = examples.computeIfAbsent(deviation, k -> new ArrayList<>());
            if (steps.size() < EXAMPLES) {
                steps.add(step.index());
            }
        }
    }

    String render(String header) {
        StringBuilder out = new StringBuilder(header).append('\n');
        out.append("  steps: ").append(steps).append('\n');
        answers.forEach((operation, byAnswer) -> {
            int total = byAnswer.values().stream().mapToInt(Integer::intValue).sum();
            out.append("  ").append(operation).append(": ").append(total).append(' ').append(byAnswer).append('\n');
        });
        if (deviations.isEmpty()) {
            out.append("  known moto deviations tolerated: none\n");
        } else {
            out.append("  known moto deviations tolerated (category: steps, first examples):\n");
            deviations.forEach((deviation, count) -> out.append("    ").append(deviation).append(": ").append(count)
                    .append(" e.g. steps ").append(examples.get(deviation)).append('\n'));
        }
        return out.toString();
    }
}
