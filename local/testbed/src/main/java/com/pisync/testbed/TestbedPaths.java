package com.pisync.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where this module lives on disk, known at run time from the filtered resource
 * {@code pisync-testbed.properties}, so that tests of other modules (whose working directory is their
 * own module) still find {@code local/testbed/node/node_modules}.
 */
final class TestbedPaths {

    private static final String RESOURCE = "pisync-testbed.properties";

    private static final Properties PROPS = load();

    private TestbedPaths() {
    }

    /** The folder of this module ({@code local/testbed}). Override: system property {@code pisync.testbed.basedir}. */
    static Path baseDir() {
        return Path.of(System.getProperty("pisync.testbed.basedir", PROPS.getProperty("testbed.basedir")));
    }

    /** The folder holding package.json and node_modules. Override: system property {@code pisync.testbed.nodeDir}. */
    static Path nodeDir() {
        String override = System.getProperty("pisync.testbed.nodeDir");
        return override != null ? Path.of(override) : baseDir().resolve("node");
    }

    /** Where child-process logs go: {@code local/testbed/target/testbed-logs}. */
    static Path logDir() {
        String override = System.getProperty("pisync.testbed.logDir");
        return override != null ? Path.of(override)
                : Path.of(PROPS.getProperty("testbed.buildDir")).resolve("testbed-logs");
    }

    private static Properties load() {
        Properties props = new Properties();
        try (InputStream in = TestbedPaths.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: build local/testbed with Maven");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
        String base = props.getProperty("testbed.basedir", "");
        if (base.isEmpty() || base.contains("${")) {
            throw new IllegalStateException(RESOURCE + " was not filtered by Maven (testbed.basedir=" + base + ")");
        }
        return props;
    }
}
