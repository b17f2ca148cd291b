package com.pisync.dynamodb.table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** New streams: label (creation time, as DynamoDB names them), shard id and the store map of records. */
final class Streams {

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private Streams() {
    }

    static StreamInfo create(String tableId, String viewType, long now) {
        String label = LABEL.format(Instant.ofEpochMilli(now));
        String hex = String.format("%08x", ThreadLocalRandom.current().nextInt());
        String shardId = "shardId-" + String.format("%020d", now) + "-" + hex;
        return new StreamInfo(label, viewType, now, null, shardId, "t." + tableId + ".s." + now + "." + hex);
    }
}
