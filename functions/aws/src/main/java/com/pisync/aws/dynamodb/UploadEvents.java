package com.pisync.aws.dynamodb;

import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of an upload item as stored: one binary record per event (no attribute names, numbers in 8 bytes),
 * raw DEFLATE over all of them. Ten events of the cost benchmark take about 300 bytes where ten history items
 * took ten write units (docs/data-model.md, "Upload items").
 */
final class UploadEvents {

    private static final int VERSION = 1;
    private static final int SEQ = 1;
    private static final int ERROR_CODE = 1 << 1;
    private static final int ERROR_MESSAGE = 1 << 2;
    private static final int PENDING_FILES = 1 << 3;
    private static final int COMMAND_ID = 1 << 4;
    private static final int OLDEST_PENDING_AT = 1 << 5;

    private UploadEvents() {
    }

    static byte[] pack(List<ReceivedSyncEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * events.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(events.size());
            for (ReceivedSyncEvent received : events) {
                SyncEvent e = received.event();
                int flags = (e.seq() != null ? SEQ : 0) | (e.errorCode() != null ? ERROR_CODE : 0)
                        | (e.errorMessage() != null ? ERROR_MESSAGE : 0) | (e.pendingFiles() != null ? PENDING_FILES : 0)
                        | (e.commandId() != null ? COMMAND_ID : 0) | (e.oldestPendingAt() != null ? OLDEST_PENDING_AT : 0);
                out.writeByte(flags);
                out.writeUTF(e.eventId());
                writeInstant(out, e.timestamp());
                writeInstant(out, received.receivedAt());
                out.writeLong(e.totalFilesSynced());
                out.writeLong(e.totalErrors());
                out.writeDouble(e.internetSpeed());
                if (e.seq() != null) {
                    out.writeLong(e.seq());
                }
                if (e.errorCode() != null) {
                    out.writeUTF(e.errorCode());
                }
                if (e.errorMessage() != null) {
                    out.writeUTF(e.errorMessage());
                }
                if (e.pendingFiles() != null) {
                    out.writeLong(e.pendingFiles());
                }
                if (e.commandId() != null) {
                    out.writeUTF(e.commandId());
                }
                if (e.oldestPendingAt() != null) {
                    writeInstant(out, e.oldestPendingAt());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return RawDeflate.pack(bytes.toByteArray());
    }

    /** The events of a packed value, in the order packed, for the device the item belongs to. */
    static List<ReceivedSyncEvent> unpack(String deviceId, byte[] packed) {
        byte[] plain = RawDeflate.unpack(packed, "upload events");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("upload events: unknown version " + version);
            }
            int count = in.readInt();
            List<ReceivedSyncEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int flags = in.readUnsignedByte();
                String eventId = in.readUTF();
                Instant timestamp = readInstant(in);
                Instant receivedAt = readInstant(in);
                long files = in.readLong();
                long errors = in.readLong();
                double speed = in.readDouble();
                Long seq = (flags & SEQ) != 0 ? in.readLong() : null;
                String errorCode = (flags & ERROR_CODE) != 0 ? in.readUTF() : null;
                String errorMessage = (flags & ERROR_MESSAGE) != 0 ? in.readUTF() : null;
                Long pendingFiles = (flags & PENDING_FILES) != 0 ? in.readLong() : null;
                String commandId = (flags & COMMAND_ID) != 0 ? in.readUTF() : null;
                Instant oldestPendingAt = (flags & OLDEST_PENDING_AT) != 0 ? readInstant(in) : null;
                events.add(new ReceivedSyncEvent(new SyncEvent(deviceId, eventId, timestamp, seq, files, errors, speed,
                        errorCode, errorMessage, pendingFiles, commandId, oldestPendingAt), receivedAt));
            }
            return events;
        } catch (IOException e) {
            throw new IllegalStateException("upload events: truncated value", e);
        }
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
