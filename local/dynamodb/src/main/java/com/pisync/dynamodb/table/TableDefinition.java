package com.pisync.dynamodb.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything CreateTable/UpdateTable/UpdateTimeToLive set on a table, persisted as JSON in the catalog.
 * Immutable: changes build a new definition.
 */
public record TableDefinition(
        String name,
        String tableId,
        long createdMillis,
        Map<String, String> attributeDefinitions,
        KeySchema keys,
        List<IndexDefinition> globalIndexes,
        List<IndexDefinition> localIndexes,
        String billingMode,
        Long billingModeChangedMillis,
        boolean billingModeGiven,
        Throughput throughput,
        List<StreamInfo> streams,
        String ttlAttribute,
        boolean ttlEnabled,
        boolean deletionProtection,
        String itemsMap) {

    public static final String ARN_PREFIX = "arn:aws:dynamodb:ddblocal:000000000000:table/";

    public String arn() {
        return ARN_PREFIX + name;
    }

    public boolean payPerRequest() {
        return "PAY_PER_REQUEST".equals(billingMode);
    }

    /** The stream that currently receives records, or null. */
    public StreamInfo activeStream() {
        for (StreamInfo s : streams) {
            if (s.enabled()) {
                return s;
            }
        }
        return null;
    }

    public StreamInfo latestStream() {
        return streams.isEmpty() ? null : streams.get(streams.size() - 1);
    }

    public String streamArn(StreamInfo s) {
        return arn() + "/stream/" + s.label();
    }

    public IndexDefinition index(String indexName) {
        for (IndexDefinition i : globalIndexes) {
            if (i.name().equals(indexName)) {
                return i;
            }
        }
        for (IndexDefinition i : localIndexes) {
            if (i.name().equals(indexName)) {
                return i;
            }
        }
        return null;
    }

    public List<IndexDefinition> allIndexes() {
        List<IndexDefinition> all = new ArrayList<>(globalIndexes);
        all.addAll(localIndexes);
        return all;
    }

    public TableDefinition withStreams(List<StreamInfo> s) {
        return new TableDefinition(name, tableId, createdMillis, attributeDefinitions, keys, globalIndexes, localIndexes,
                billingMode, billingModeChangedMillis, billingModeGiven, throughput, List.copyOf(s), ttlAttribute,
                ttlEnabled, deletionProtection, itemsMap);
    }

    public TableDefinition withTtl(String attribute, boolean enabled) {
        return new TableDefinition(name, tableId, createdMillis, attributeDefinitions, keys, globalIndexes, localIndexes,
                billingMode, billingModeChangedMillis, billingModeGiven, throughput, streams, attribute, enabled,
                deletionProtection, itemsMap);
    }

    public TableDefinition withBilling(String mode, Long changedMillis, Throughput t) {
        return new TableDefinition(name, tableId, createdMillis, attributeDefinitions, keys, globalIndexes, localIndexes,
                mode, changedMillis, true, t, streams, ttlAttribute, ttlEnabled, deletionProtection, itemsMap);
    }

    public TableDefinition withGlobalIndexes(List<IndexDefinition> gsis, Map<String, String> attributes) {
        return new TableDefinition(name, tableId, createdMillis, new LinkedHashMap<>(attributes), keys, List.copyOf(gsis),
                localIndexes, billingMode, billingModeChangedMillis, billingModeGiven, throughput, streams, ttlAttribute,
                ttlEnabled, deletionProtection, itemsMap);
    }

    public TableDefinition withDeletionProtection(boolean on) {
        return new TableDefinition(name, tableId, createdMillis, attributeDefinitions, keys, globalIndexes, localIndexes,
                billingMode, billingModeChangedMillis, billingModeGiven, throughput, streams, ttlAttribute, ttlEnabled,
                on, itemsMap);
    }
}
