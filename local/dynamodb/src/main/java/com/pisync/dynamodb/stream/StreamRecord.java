package com.pisync.dynamodb.stream;

import com.pisync.dynamodb.storage.ItemCodec;
import com.pisync.dynamodb.value.Value;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * One change of one item as written to a stream: INSERT, MODIFY or REMOVE, with the images the stream's
 * view type keeps. {@code byTtl} marks deletions by Time to Live (reported with the service's identity).
 */
public record StreamRecord(long sequence, String eventName, long createdMillis, Map<String, Value> keys,
        Map<String, Value> newImage, Map<String, Value> oldImage, long sizeBytes, String viewType, boolean byTtl) {

    private static final String[] EVENTS = {"INSERT", "MODIFY", "REMOVE"};

    public byte[] encode() {
        byte[] k = ItemCodec.encode(keys);
        byte[] n = newImage == null ? null : ItemCodec.encode(newImage);
        byte[] o = oldImage == null ? null : ItemCodec.encode(oldImage);
        byte[] view = viewType.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(1 + 1 + 8 + 8 + 1 + view.length + 12 + k.length
                + (n == null ? 0 : n.length) + (o == null ? 0 : o.length));
        buf.put((byte) Arrays.asList(EVENTS).indexOf(eventName));
        buf.put((byte) (byTtl ? 1 : 0));
        buf.putLong(createdMillis);
        buf.putLong(sizeBytes);
        buf.put((byte) view.length).put(view);
        buf.putInt(k.length).put(k);
        buf.putInt(n == null ? -1 : n.length);
        if (n != null) {
            buf.put(n);
        }
        buf.putInt(o == null ? -1 : o.length);
        if (o != null) {
            buf.put(o);
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    public static StreamRecord decode(long sequence, byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        String event = EVENTS[buf.get()];
        boolean ttl = buf.get() == 1;
        long created = buf.getLong();
        long size = buf.getLong();
        byte[] view = new byte[buf.get()];
        buf.get(view);
        Map<String, Value> keys = ItemCodec.decode(slice(buf, buf.getInt()));
        int nl = buf.getInt();
        Map<String, Value> newImage = nl < 0 ? null : ItemCodec.decode(slice(buf, nl));
        int ol = buf.getInt();
        Map<String, Value> oldImage = ol < 0 ? null : ItemCodec.decode(slice(buf, ol));
        return new StreamRecord(sequence, event, created, keys, newImage, oldImage, size,
                new String(view, java.nio.charset.StandardCharsets.US_ASCII), ttl);
    }

    private static byte[] slice(ByteBuffer buf, int length) {
        byte[] b = new byte[length];
        buf.get(b);
        return b;
    }
}

