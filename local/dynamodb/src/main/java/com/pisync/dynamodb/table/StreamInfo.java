package com.pisync.dynamodb.table;

/**
 * One stream of a table: a table that turns its stream off and on again gets a new stream (new label and
 * ARN), while the old one stays readable until its records age out. One shard per stream.
 */
public record StreamInfo(String label, String viewType, long createdMillis, Long disabledMillis, String shardId,
        String mapName) {

    public boolean enabled() {
        return disabledMillis == null;
    }

    public StreamInfo disabledAt(long millis) {
        return new StreamInfo(label, viewType, createdMillis, millis, shardId, mapName);
    }
}
