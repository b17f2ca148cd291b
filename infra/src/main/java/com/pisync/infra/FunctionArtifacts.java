package com.pisync.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the Lambda deployment packages built by the function modules:
 * {@code <repo>/functions/<name>/target/pisync-<name>.jar}.
 *
 * <p>The functions directory is, in order: the system property {@value #DIR_PROPERTY}, the
 * environment variable {@value #DIR_ENV}, or {@code functions/} of the repository root found by
 * walking up from the working directory (the repo root under {@code cdk synth}, {@code infra/} under
 * {@code mvn test}).
 */
public final class FunctionArtifacts {

    public static final String DIR_PROPERTY = "pisync.functionsDir";
    public static final String DIR_ENV = "PISYNC_FUNCTIONS_DIR";

    private final Path functionsDir;

    public FunctionArtifacts(Path functionsDir) {
        this.functionsDir = functionsDir.toAbsolutePath().normalize();
    }

    public static FunctionArtifacts locate() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (isBlank(configured)) {
            configured = System.getenv(DIR_ENV);
        }
        if (!isBlank(configured)) {
            return new FunctionArtifacts(Paths.get(configured.trim()));
        }
        Path start = Paths.get("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("functions")) && Files.isRegularFile(dir.resolve("infra/pom.xml"))) {
                return new FunctionArtifacts(dir.resolve("functions"));
            }
        }
        throw new IllegalStateException("Cannot find the PiSync repository root (a directory with functions/ and "
                + "infra/pom.xml) above " + start + ". Run from the repository, or set -D" + DIR_PROPERTY
                + "=<repo>/functions.");
    }

    public Path functionsDir() {
        return functionsDir;
    }

    /** The shaded jar of a function module, e.g. {@code jar("ingest")}; fails clearly when it was not built. */
    public Path jar(String function) {
        Path jar = functionsDir.resolve(function).resolve("target").resolve("pisync-" + function + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Lambda package " + jar + " is missing. Build the functions first, "
                    + "from the repository root: mvn -B package -DskipTests");
        }
        return jar;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
