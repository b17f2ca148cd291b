package com.pisync.local.runner;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;

/** The lines {@code ./pisync local} prints once everything is up: where to go, how to sign in, what runs how. */
final class RunnerBanner {

    private RunnerBanner() {
    }

    /** @param keptMessages sync-event messages left on the queue by the last run */
    static String text(RunnerOptions options, URI url, AdminIdentity.Admin admin, URI liveUrl, long keptMessages) {
        String base = url.toString();
        StringBuilder b = new StringBuilder();
        b.append("PiSync is running: API ").append(base).append("/v1 , dashboard ").append(base).append("/ , admin user '")
                .append(admin.username()).append("'");
        switch (admin.source()) {
            case GENERATED -> b.append(" with password ").append(admin.password())
                    .append("\n  (generated and shown only now; also saved, readable only by you, in ")
                    .append(admin.passwordFile()).append(")");
            case ENVIRONMENT -> b.append(" (password from PISYNC_ADMIN_PASSWORD)");
            case SAVED_FILE -> b.append(" (password in ").append(admin.passwordFile()).append(")");
            case UNKNOWN -> b.append(" (password set on an earlier run; set PISYNC_ADMIN_PASSWORD to change it)");
        }
        b.append("\n  live updates (WebSocket) ").append(liveUrl);
        b.append("\n  data in ").append(options.dataDir().toAbsolutePath().normalize())
                .append(" · processor: batches of ≤ ").append(options.batchSize()).append(", window ")
                .append(options.batchWindow().toMillis()).append(" ms, visibility timeout ")
                .append(options.visibilityTimeout().toSeconds()).append(" s, DLQ after 5 receives · offline sweep every ")
                .append(human(options.sweepEvery()));
        if (keptMessages > 0) {
            b.append("\n  ").append(keptMessages).append(" sync-event message(s) kept on the queue from the last run: processing them");
        }
        if (!Files.isDirectory(options.dashboardDir())) {
            b.append("\n  dashboard folder ").append(options.dashboardDir()).append(" not found: serving a placeholder at /");
        }
        if (options.demo()) {
            b.append("\n  demo: ").append(options.demoDevices()).append(" simulated devices (ids demo-0001…), ")
                    .append(options.demoRate()).append(" events/s; five schools with calendars (")
                    .append(SchoolScenario.HOLIDAY_SITE).append(" on holiday), an outage at ")
                    .append(SchoolScenario.OUTAGE_SITE).append(" (a site incident), devices holding data at risk");
        }
        b.append("\n  Ctrl-C stops it; data stays for the next run.");
        return b.toString();
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
