package com.pisync.bench.cost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a benchmark writes its figures: bench/target/&lt;name&gt;.txt (from the repository root or bench/). */
public final class Reports {

    private Reports() {
    }

    public static Path dir() {
        String d = System.getProperty("pisync.bench.out");
        if (d != null) {
            return Path.of(d);
        }
        return Files.isDirectory(Path.of("bench", "src")) ? Path.of("bench", "target") : Path.of("target");
    }

    public static Path write(String name, String text) {
        try {
            Path out = dir().resolve(name + ".txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
