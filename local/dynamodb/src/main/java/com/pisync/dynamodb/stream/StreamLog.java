package com.pisync.dynamodb.stream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.Cursor;
import com.pisync.dynamodb.storage.StoreMap;

/** The records of one stream (one shard) in sequence order, stored in the table's commit. */
public final class StreamLog {

    /** DynamoDB keeps stream records for 24 hours. */
    public static final long RETENTION_MILLIS = 24L * 60 * 60 * 1000;

    private final StoreMap<Long, byte[]> records;

    public StreamLog(StoreMap<Long, byte[]> records) {
        this.records = records;
    }

    public void append(StreamRecord record) {
        records.put(record.sequence(), record.encode());
    }

    /** Up to {@code limit} records with sequence number at or after {@code from}. */
    public List<StreamRecord> read(long from, int limit) {
        List<StreamRecord> out = new ArrayList<>(Math.min(limit, 64));
        Cursor<Long, byte[]> c = records.read().cursor(from);
        while (c.hasNext() && out.size() < limit) {
            long seq = c.next();
            out.add(StreamRecord.decode(seq, c.getValue()));
        }
        return out;
    }

    public Long first() {
        return records.isEmpty() ? null : records.read().firstKey();
    }

    public Long last() {
        return records.isEmpty() ? null : records.read().lastKey();
    }

    public boolean contains(long sequence) {
        return records.read().containsKey(sequence);
    }

    /** Drops records created before {@code cutoffMillis}; returns how many. */
    public int trim(long cutoffMillis) {
        int removed = 0;
        Iterator<Map.Entry<Long, byte[]>> it = records.read().entrySet().iterator();
        List<Long> old = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<Long, byte[]> e = it.next();
            if (StreamRecord.decode(e.getKey(), e.getValue()).createdMillis() >= cutoffMillis) {
                break;
            }
            old.add(e.getKey());
        }
        for (Long k : old) {
            records.remove(k);
            removed++;
        }
        return removed;
    }
}
