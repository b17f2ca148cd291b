package com.pisync.local.runner;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A {@link Simulator} run's progress while it goes on: on a terminal a bar and the counters redrawn in place five
 * times a second; otherwise (a log file, a pipe) a line of counters every 5 s.
 */
final class ProgressLine {

    private final Thread thread;
    private final PrintStream out;

    private ProgressLine(Thread thread, PrintStream out) {
        this.thread = thread;
        this.out = out;
    }

    /** Starts showing progress, unless the options turn it off (then {@link #stop()} does nothing). */
    static ProgressLine start(Simulator.Options options, UploadTally tally, PrintStream out, long startedNanos) {
        if (!options.progress() || options.quiet()) {
            return new ProgressLine(null, out);
        }
        boolean tty = System.console() != null;
        long total = options.eventsPerDevice() == 0 ? 0 : (long) options.devices() * options.eventsPerDevice();
        Thread t = new Thread(() -> {
            long lastLine = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(tty ? 200 : 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long now = System.nanoTime();
                double secs = Math.max(0.001, (now - startedNanos) / 1e9);
                long done = tally.sent();
                String counters = String.format(Locale.ROOT, "%d%s events · accepted %d · rejected %d · errors %d · %.0f ev/s",
                        done, total > 0 ? "/" + total : "", tally.accepted(), tally.rejected(), tally.errors(),
                        done / secs);
                if (tty) {
                    String bar = "";
                    if (total > 0) {
                        int width = 30;
                        int filled = (int) Math.min(width, done * width / total);
                        bar = "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] "
                                + String.format(Locale.ROOT, "%3d%% ", Math.min(100, done * 100 / total));
                    }
                    out.print("\r" + bar + counters + "   ");
                    out.flush();
                } else if (now - lastLine >= 5_000_000_000L) {
                    lastLine = now;
                    out.println(counters);
                }
            }
        }, "simulator-progress");
        t.setDaemon(true);
        t.start();
        return new ProgressLine(t, out);
    }

    /** Draws the last state and ends the line, so what follows starts on a line of its own. */
    void stop() {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println();
    }
}
