package com.pisync.dynamodb.table;

import java.util.List;

/**
 * A secondary index. {@code mapName} is the store map holding its entries; {@code projectionType} is
 * KEYS_ONLY, INCLUDE (with {@code nonKeyAttributes}) or ALL.
 */
public record IndexDefinition(String name, boolean global, KeySchema keys, String projectionType,
        List<String> nonKeyAttributes, Throughput throughput, String mapName) {

    public IndexDefinition withThroughput(Throughput t) {
        return new IndexDefinition(name, global, keys, projectionType, nonKeyAttributes, t, mapName);
    }
}
