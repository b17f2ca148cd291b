package com.pisync.dynamodb.table;

/** Provisioned capacity of a table or GSI; zeros for on-demand, as DynamoDB reports them. */
public record Throughput(long read, long write, Long lastIncreaseMillis, Long lastDecreaseMillis) {

    public static final Throughput ZERO = new Throughput(0, 0, null, null);

    public static Throughput of(long read, long write) {
        return new Throughput(read, write, null, null);
    }
}
