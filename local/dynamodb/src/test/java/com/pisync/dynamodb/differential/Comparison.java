package com.pisync.dynamodb.differential;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Runs each step on moto and on the subject and compares the answers: against moto's answer as DynamoDB would
 * give it ({@link KnownDeviations}) when the subject is our engine, against moto's own answer when it is a
 * second moto. Counts into the {@link Summary}; returns the report of a real difference.
 */
final class Comparison {

    private final Target subject;
    private final MotoReference repairedReference;
    private final MotoReference repairedSubject;
    private final boolean trace;
    private final Summary summary;
    private final String run;

    Comparison(Target reference, Target subject, boolean trace, Summary summary, String run) {
        this.subject = subject;
        this.repairedReference = new MotoReference(reference.client());
        this.repairedSubject = subject.isMoto() ? new MotoReference(subject.client()) : null;
        this.trace = trace;
        this.summary = summary;
        this.run = run;
    }

    Optional<String> step(Step step) {
        MotoReference.Answer answer = repairedReference.run(step);
        Outcome moto = answer.outcome();
        Outcome actual = repairedSubject != null ? repairedSubject.run(step).outcome()
                : Outcome.run(step.call(), subject.client());
        if (moto.get("clientError") != null) {
            throw new IllegalStateException("moto's answer could not be read at step " + step.index() + " of " + run
                    + ": " + moto);
        }
        summary.answered(step, actual);
        if (trace && (moto.isError() || actual.isError())) {
            System.out.println("step " + step.index() + " " + step.request() + "\n  moto: " + moto
                    + "\n  " + subject.name() + ": " + actual);
        }
        KnownDeviations.Expectation expectation = subject.isMoto()
                ? new KnownDeviations.Expectation(moto.tree(), EnumSet.noneOf(Deviation.class), false)
                : KnownDeviations.expectation(step, answer);
        List<String> found = differences(expectation, actual);
        if (found.isEmpty()) {
            summary.tolerated(step, expectation.applied());
            return Optional.empty();
        }
        return Optional.of(report(step, moto, expectation, actual, found));
    }

    private static List<String> differences(KnownDeviations.Expectation expectation, Outcome actual) {
        if (expectation.anyNonServerError()) {
            boolean serverError = actual.get("clientError") != null
                    || actual.get("status") instanceof Integer status && status >= 500;
            return serverError ? List.of("moto failed with a server error; so did the subject") : List.of();
        }
        return Differ.differences(expectation.tree(), actual.tree());
    }

    private String report(Step step, Outcome moto, KnownDeviations.Expectation expectation, Outcome actual,
                          List<String> found) {
        StringBuilder out = new StringBuilder("Difference at step ").append(step.index()).append(" of ").append(run)
                .append(":\n  request:  ").append(step.operation()).append(' ').append(step.request())
                .append("\n  moto:     ").append(moto);
        if (!expectation.applied().isEmpty()) {
            out.append("\n  DynamoDB: ").append(expectation.tree()).append("  (moto's answer with known deviations ")
                    .append(expectation.applied()).append(" undone)");
        }
        out.append("\n  ").append(String.format("%-9s", subject.name() + ":")).append(' ').append(actual)
                .append("\n  differences:");
        found.forEach(line -> out.append("\n    - ").append(line));
        return out.toString();
    }
}
