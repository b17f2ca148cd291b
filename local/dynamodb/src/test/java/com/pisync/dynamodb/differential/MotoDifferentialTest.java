package com.pisync.dynamodb.differential;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Differential test: a long seeded random sequence of DynamoDB requests, sent through the AWS SDK to moto (the
 * reference) and to the subject — our engine, or a second moto with {@code -Ddifferential.subject=moto} to debug
 * the generator — comparing every answer. moto's known deviations from DynamoDB ({@link Deviation}) are applied
 * by category and counted; any other difference fails with the seed, the step, the request and both answers.
 *
 * <p>System properties: {@code differential.seed} (a number, or {@code random}; default {@value #DEFAULT_SEED}),
 * {@code differential.steps} (default {@value #DEFAULT_STEPS}), {@code differential.subject} ({@code engine} or
 * {@code moto}), {@code differential.maxDifferences} (stop after this many, default 1), {@code differential.moto}
 * (the moto_server executable, if not on PATH or under ~/.pyenv/shims), {@code differential.trace} (print every
 * step that either side answered with an error).
 * Skipped where moto is not installed. The summary goes to standard output (with Maven: target/surefire-reports/
 * com.pisync.dynamodb.differential.MotoDifferentialTest-output.txt) and into the failure message.
 */
class MotoDifferentialTest {

    static final long DEFAULT_SEED = 20_240_601L;
    static final int DEFAULT_STEPS = 300;

    @Test
    void answersLikeMotoExceptForItsKnownDeviationsFromDynamoDb() throws Exception {
        Optional<Path> moto = MotoServer.locate();
        assume(moto.isPresent(), "moto_server is not installed (looked on PATH, in ~/.pyenv/shims and at -D"
                + MotoServer.EXECUTABLE_PROPERTY + ")");
        boolean motoSubject = "moto".equals(System.getProperty("differential.subject", "engine"));
        long seed = seed();
        int length = Integer.getInteger("differential.steps", DEFAULT_STEPS);
        int maxDifferences = Integer.getInteger("differential.maxDifferences", 1);
        List<Step> steps = new Workload(seed).steps(length);
        String run = "seed " + seed + ", " + steps.size() + " steps, subject " + (motoSubject ? "moto" : "engine")
                + " (rerun: -Ddifferential.seed=" + seed + " -Ddifferential.steps=" + length + ")";
        System.out.println("Differential run: " + run);

        Summary summary = new Summary();
        List<String> differences = new ArrayList<>();
        long started = System.nanoTime();
        try (Target reference = Target.moto(MotoServer.start(moto.get()));
             Target subject = motoSubject ? Target.moto(MotoServer.start(moto.get())) : EngineLauncher.start()) {
            Comparison comparison = new Comparison(reference, subject,
                    Boolean.getBoolean("differential.trace"), summary, run);
            for (Step step : steps) {
                comparison.step(step).ifPresent(differences::add);
                if (differences.size() >= maxDifferences) {
                    break;
                }
            }
        }
        String report = summary.render("Differential summary (" + run + ", "
                + (System.nanoTime() - started) / 1_000_000 + " ms):");
        System.out.println(report);
        if (!differences.isEmpty()) {
            fail(String.join("\n\n", differences) + "\n\n" + report);
        }
    }

    private static long seed() {
        String configured = System.getProperty("differential.seed");
        if (configured == null || configured.isBlank()) {
            return DEFAULT_SEED;
        }
        return "random".equals(configured) ? System.nanoTime() : Long.parseLong(configured.trim());
    }

    private static void assume(boolean condition, String why) {
        if (!condition) {
            System.out.println("MotoDifferentialTest skipped: " + why);
        }
        Assumptions.assumeTrue(condition, why);
    }
}
