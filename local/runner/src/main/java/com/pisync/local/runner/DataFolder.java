package com.pisync.local.runner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The runner's data folder ({@code --data-dir}): private to its owner, used by one runner at a time. */
final class DataFolder {

    private DataFolder() {
    }

    /** Creates the folder when missing. */
    static void create(Path data) throws IOException {
        if (!Files.exists(data)) {
            Files.createDirectories(data.getParent());
            try { // only its owner may read it: cognito-local keeps passwords in plain text in it
                Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createDirectory(data);
            }
        }
    }

    /** Locks the folder (runner.lock) against a second runner; closing the result releases it. */
    static AutoCloseable lock(Path data) throws IOException {
        FileChannel channel = FileChannel.open(data.resolve("runner.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another PiSync runner is using " + data + " (stop it, or pass another --data-dir)");
        }
        FileLock held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }
}
