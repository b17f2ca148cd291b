package com.pisync.local.runner;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ./pisync local}: all of PiSync on 127.0.0.1 until Ctrl-C or SIGTERM (see {@link LocalRunner}).
 * Exit codes: 0 after a clean stop, 1 when it could not start, 2 for a command-line mistake.
 */
public final class PiSyncLocal {

    /** Kept so the JUL level set below is not garbage-collected with its logger. */
    private static final Logger AWS_V1_LOGGER = Logger.getLogger("com.amazonaws");

    private PiSyncLocal() {
    }

    public static void main(String[] args) {
        quietLibraries();
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(List.of(args));
        } catch (RunnerOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("pisync local: " + e.getMessage());
            }
            System.err.print(RunnerOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        System.out.println("Starting PiSync locally (data in " + options.dataDir().toAbsolutePath().normalize() + ")…");
        long t0 = System.nanoTime();
        LocalRunner runner;
        try {
            runner = LocalRunner.start(options, System.getenv(), System.out);
        } catch (RuntimeException e) {
            System.err.println("pisync local: could not start: " + e.getMessage());
            if (System.getenv("PISYNC_DEBUG") != null) {
                e.printStackTrace();
            }
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping PiSync…");
            runner.close();
            System.out.println("PiSync stopped; data kept in " + options.dataDir().toAbsolutePath().normalize());
            stopped.countDown();
        }, "pisync-stop"));
        System.out.printf("(started in %.1f s)%n", (System.nanoTime() - t0) / 1e9);
        System.out.println(runner.banner());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Libraries' own chatter at WARN: ElasticMQ/Pekko (SLF4J) and JUL. */
    static void quietLibraries() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
        AWS_V1_LOGGER.setLevel(Level.SEVERE);
    }
}
