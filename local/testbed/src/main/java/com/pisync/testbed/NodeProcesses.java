package com.pisync.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the emulators that run on Node.js (fauxqs, cognito-local) share: finding node, stopping, logs. */
final class NodeProcesses {

    private NodeProcesses() {
    }

    static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            process.getOutputStream().close(); // the watchdog exits on end of stdin
        } catch (IOException e) {
            // fall through to signals
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(3, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    static String nodeBinary() {
        String node = System.getProperty("pisync.testbed.node");
        if (node == null || node.isBlank()) {
            node = System.getenv("PISYNC_NODE");
        }
        return node == null || node.isBlank() ? "node" : node;
    }

    static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static final class PortLostException extends IllegalStateException {
        PortLostException(String message) {
            super(message);
        }
    }
}
