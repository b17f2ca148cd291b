package com.pisync.aws.queue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQS message between ingest and processor: validated events of one device from one upload,
 * with the server time of the upload. Events are packed into as few messages as fit under the size
 * SQS bills as one request (64 KiB), so a 10-event upload is one message.
 *
 * <pre>{"v":1,"device_id":"pibook-1","received_at":"2026-11-01T08:03:01Z","events":[{...}]}</pre>
 */
public final class SyncEventMessages {

    /** SQS bills each 64 KiB chunk of a message as one request. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private SyncEventMessages() {
    }

    /** Message bodies for the events, each under {@link #MAX_MESSAGE_BYTES}, one device per message. */
    public static List<String> pack(List<SyncEvent> events, Instant receivedAt) {
        List<String> messages = new ArrayList<>();
        List<String> encoded = new ArrayList<>();
        String device = null;
        int size = 0;
        for (SyncEvent e : events) {
            String one = encode(e);
            int oneSize = one.getBytes(StandardCharsets.UTF_8).length + 1;
            boolean full = !encoded.isEmpty() && (size + oneSize > MAX_MESSAGE_BYTES - 200 || !e.deviceId().equals(device));
            if (full) {
                messages.add(envelope(device, receivedAt, encoded));
                encoded.clear();
                size = 0;
            }
            device = e.deviceId();
            encoded.add(one);
            size += oneSize;
        }
        if (!encoded.isEmpty()) {
            messages.add(envelope(device, receivedAt, encoded));
        }
        return messages;
    }

    /**
     * @throws IllegalArgumentException when the body is not a message this version understands
     */
    public static List<ReceivedSyncEvent> unpack(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("message body is not JSON", e);
        }
        if (root == null || root.path("v").asInt() != VERSION || !root.path("events").isArray()) {
            throw new IllegalArgumentException("not a version " + VERSION + " sync-events message");
        }
        String deviceId = required(root, "device_id").asText();
        Instant receivedAt = Instant.parse(required(root, "received_at").asText());
        List<ReceivedSyncEvent> events = new ArrayList<>();
        for (JsonNode n : root.get("events")) {
            SyncEvent e = new SyncEvent(deviceId,
                    required(n, "event_id").asText(),
                    Instant.parse(required(n, "timestamp").asText()),
                    n.hasNonNull("seq") ? n.get("seq").longValue() : null,
                    required(n, "total_files_synced").longValue(),
                    required(n, "total_errors").longValue(),
                    required(n, "internet_speed").doubleValue(),
                    text(n, "error_code"),
                    text(n, "error_message"),
                    n.hasNonNull("pending_files") ? n.get("pending_files").longValue() : null,
                    text(n, "command_id"),
                    n.hasNonNull("oldest_pending_at") ? Instant.parse(n.get("oldest_pending_at").asText()) : null);
            events.add(new ReceivedSyncEvent(e, receivedAt));
        }
        return events;
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("message lacks " + field);
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static String envelope(String deviceId, Instant receivedAt, List<String> events) {
        return "{\"v\":" + VERSION + ",\"device_id\":" + quote(deviceId) + ",\"received_at\":\"" + receivedAt
                + "\",\"events\":[" + String.join(",", events) + "]}";
    }

    private static String encode(SyncEvent e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event_id", e.eventId());
            g.writeStringField("timestamp", e.timestamp().toString());
            if (e.seq() != null) {
                g.writeNumberField("seq", e.seq());
            }
            g.writeNumberField("total_files_synced", e.totalFilesSynced());
            g.writeNumberField("total_errors", e.totalErrors());
            g.writeNumberField("internet_speed", e.internetSpeed());
            writeIfPresent(g, "error_code", e.errorCode());
            writeIfPresent(g, "error_message", e.errorMessage());
            if (e.pendingFiles() != null) {
                g.writeNumberField("pending_files", e.pendingFiles());
            }
            writeIfPresent(g, "command_id", e.commandId());
            if (e.oldestPendingAt() != null) {
                g.writeStringField("oldest_pending_at", e.oldestPendingAt().toString());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void writeIfPresent(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static String quote(String s) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(s);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }
}
