package com.pisync.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stack the dashboard is tested against, in this order:
 * <ol>
 *   <li>{@code -Dpisync.url=http://127.0.0.1:8080}: a stack already running (the local runner, or a deployed
 *       dev stage serving the dashboard and the API on one origin). Admin credentials:
 *       {@code -Dpisync.admin.user} (default {@code admin}) / {@code -Dpisync.admin.password} (default: the
 *       environment's {@code PISYNC_ADMIN_PASSWORD}, as {@code ./pisync local} reads it).</li>
 *   <li>the local runner ({@code com.pisync.local.runner.PiSyncLocal}) started in-process, when it is on the
 *       classpath.</li>
 * </ol>
 * With neither, the tests are skipped (a JUnit assumption) with the reason printed.
 */
interface LocalStack extends AutoCloseable {

    String url();

    String adminUser();

    String adminPassword();

    String description();

    @Override
    void close() throws Exception;

    static LocalStack open() throws Exception {
        String url = System.getProperty("pisync.url", "").trim();
        if (!url.isEmpty()) {
            Api api = new Api(url);
            boolean up = api.healthy();
            String why = "-Dpisync.url=" + url + " does not answer GET /health";
            assumeTrue(up, why);
            String user = System.getProperty("pisync.admin.user", RunnerStack.DEFAULT_ADMIN_USER);
            String password = System.getProperty("pisync.admin.password", System.getenv().getOrDefault("PISYNC_ADMIN_PASSWORD", ""));
            assumeTrue(!password.isEmpty(), "-Dpisync.url needs the admin's password: -Dpisync.admin.password=... "
                    + "(or PISYNC_ADMIN_PASSWORD in the environment)");
            return new Fixed(url.replaceAll("/+$", ""), user, password);
        }
        String missing = RunnerStack.unavailable();
        if (missing != null) {
            assumeTrue(false, "no stack to test against: " + missing + "; or pass -Dpisync.url=<a running stack>");
        }
        return RunnerStack.start();
    }

    record Fixed(String url, String adminUser, String adminPassword) implements LocalStack {
        @Override
        public String description() {
            return "running stack from -Dpisync.url";
        }

        @Override
        public void close() {
            // not ours to stop
        }
    }
}
