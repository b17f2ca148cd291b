package com.pisync.aws.dynamodb;

/**
 * Write sharding for indexes the whole fleet writes to: a device always lands on the same one of
 * {@link #COUNT} partitions, so no index key takes more than 1/16 of the fleet's writes. Readers
 * query every shard and merge.
 */
public final class Shards {

    public static final int COUNT = 16;

    private Shards() {
    }

    /** "00".."15", stable for a device (String.hashCode is fixed by the language spec). */
    public static String of(String deviceId) {
        return name(Math.floorMod(deviceId.hashCode(), COUNT));
    }

    public static String name(int shard) {
        return shard < 10 ? "0" + shard : Integer.toString(shard);
    }
}
