package com.pisync.dynamodb.stream;

import com.pisync.dynamodb.DynamoException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Shard iterators carry their own state (stream ARN, shard, next sequence to read, creation time), so the
 * engine keeps none; they expire 15 minutes after creation, as DynamoDB's do.
 */
final class ShardIterators {

    static final long LIFETIME_MILLIS = 15 * 60 * 1000;

    record Position(String streamArn, String shardId, long next, long createdMillis) {
    }

    private ShardIterators() {
    }

    static String encode(Position p) {
        String raw = p.streamArn + "|" + p.shardId + "|" + p.next + "|" + p.createdMillis;
        return p.streamArn + "|1|" + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String iterator, long now) {
        try {
            int bar = iterator.lastIndexOf('|');
            String raw = new String(Base64.getDecoder().decode(iterator.substring(bar + 1)), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|");
            Position p = new Position(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
            if (now - p.createdMillis > LIFETIME_MILLIS) {
                throw new DynamoException("ExpiredIteratorException", "Iterator expired. The iterator was created at time "
                        + java.time.Instant.ofEpochMilli(p.createdMillis) + " while right now it is "
                        + java.time.Instant.ofEpochMilli(now) + " which is further in the future than the tolerated delay of 900000 milliseconds.");
            }
            return p;
        } catch (RuntimeException e) {
            if (e instanceof DynamoException d) {
                throw d;
            }
            throw DynamoException.validation("Invalid ShardIterator");
        }
    }
}
