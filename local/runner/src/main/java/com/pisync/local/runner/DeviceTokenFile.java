package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file where a {@link Simulator} keeps its devices' tokens and sequence numbers between runs, per PiSync URL:
 * {"<url>": {"<device id>": {"token": "...", "seq": n}}}. No file configured: nothing is loaded or saved.
 */
final class DeviceTokenFile {

    /** What is kept for one device. */
    record Entry(String token, long seq) {
    }

    private final Path file;
    private final String base;
    private final PrintStream out;

    DeviceTokenFile(Path file, String base, PrintStream out) {
        this.file = file;
        this.base = base;
        this.out = out;
    }

    /** The tokens kept for this URL, by device id. */
    Map<String, Entry> load() {
        Map<String, Entry> tokens = new LinkedHashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return tokens;
        }
        try {
            JsonNode all = Simulator.JSON.readTree(file.toFile());
            all.path(base).fields().forEachRemaining(e -> tokens.put(e.getKey(),
                    new Entry(e.getValue().path("token").asText(null), e.getValue().path("seq").asLong())));
        } catch (IOException e) {
            out.println("ignoring unreadable tokens file " + file + ": " + e.getMessage());
        }
        return tokens;
    }

    /** Keeps the other URLs' entries; written to a temporary file (600) first, then moved over the old one. */
    synchronized void save(List<SimulatedDevice> fleet) {
        if (file == null) {
            return;
        }
        try {
            ObjectNode all = Files.isRegularFile(file) ? (ObjectNode) Simulator.JSON.readTree(file.toFile())
                    : Simulator.JSON.createObjectNode();
            ObjectNode mine = all.has(base) && all.get(base).isObject() ? (ObjectNode) all.get(base) : all.putObject(base);
            for (SimulatedDevice d : fleet) {
                if (d.token != null) {
                    mine.putObject(d.id).put("token", d.token).put("seq", d.seq());
                }
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(tmp);
            }
            Files.write(tmp, Simulator.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | ClassCastException e) {
            out.println("could not save device tokens to " + file + ": " + e.getMessage());
        }
    }

    /** Saves every 10 s while a run goes on, so a killed run loses little; interrupt the thread to end it. */
    Thread startPeriodicSave(List<SimulatedDevice> fleet) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                save(fleet);
            }
        }, "simulator-save");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
