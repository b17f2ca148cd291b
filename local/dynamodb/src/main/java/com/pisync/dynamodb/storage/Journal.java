package com.pisync.dynamodb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The redo journal: each acknowledged write operation appends one record (its map changes) with a single
 * write call, which survives a killed process; the store's own commit (a checkpoint) then happens only
 * every few thousand operations, after which the journal starts empty. A record is
 * {@code [length][crc32][payload]}; a torn last record (the process died while writing it, so its
 * operation was never acknowledged) fails its check and is ignored.
 */
final class Journal implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private long size;
    private int records;

    private Journal(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    static Journal open(Path file) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new Journal(file, ch, ch.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file, e);
        }
    }

    /** The payloads of all intact records, in order, up to the first damaged one. */
    List<byte[]> readAll() {
        List<byte[]> payloads = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return payloads;
            }
            byte[] all = Files.readAllBytes(file);
            ByteBuffer buf = ByteBuffer.wrap(all);
            while (buf.remaining() >= 8) {
                int length = buf.getInt();
                int crc = buf.getInt();
                if (length < 0 || length > buf.remaining()) {
                    break;
                }
                byte[] payload = new byte[length];
                buf.get(payload);
                CRC32 check = new CRC32();
                check.update(payload);
                if ((int) check.getValue() != crc) {
                    break;
                }
                payloads.add(payload);
            }
            return payloads;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
    }

    void append(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer buf = ByteBuffer.allocate(8 + payload.length);
        buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        try {
            while (buf.hasRemaining()) {
                size += channel.write(buf, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file, e);
        }
        records++;
    }

    /** After a checkpoint: everything in the journal is in the store. */
    void clear() {
        try {
            channel.truncate(0);
            size = 0;
            records = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate the journal " + file, e);
        }
    }

    long size() {
        return size;
    }

    int records() {
        return records;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
