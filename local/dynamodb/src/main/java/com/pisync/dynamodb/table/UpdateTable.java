package com.pisync.dynamodb.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UpdateTable: billing mode and throughput, stream on/off/view type, deletion protection, and global
 * secondary indexes created (filled from the table at once, ACTIVE) or deleted.
 */
public final class UpdateTable implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        JsonNode throughput = Validation.object(r, "ProvisionedThroughput");
        JsonNode stream = Validation.object(r, "StreamSpecification");
        JsonNode gsiUpdates = Validation.array(r, "GlobalSecondaryIndexUpdates");
        JsonNode attributes = Validation.array(r, "AttributeDefinitions");
        String billing = Validation.text(r, "BillingMode");
        Boolean deletionProtection = Validation.bool(r, "DeletionProtectionEnabled");
        Validation v = Validation.start().name(r.get("TableName"), "tableName", true);
        v.oneOf(r.get("BillingMode"), "billingMode", "PROVISIONED", "PAY_PER_REQUEST");
        CreateTable.checkThroughputMembers(v, throughput, "provisionedThroughput");
        if (stream != null) {
            v.oneOf(stream.get("StreamViewType"), "streamSpecification.streamViewType",
                    "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");
        }
        v.check();
        if (throughput == null && stream == null && gsiUpdates == null && billing == null && deletionProtection == null) {
            throw DynamoException.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
        String name = Validation.text(r, "TableName");
        return engine.writeStructural(() -> {
            Table table = engine.catalog().requireNamed(name);
            TableDefinition def = table.definition();
            long now = engine.nowMillis();
            List<IndexDefinition> created = new ArrayList<>();
            if (billing != null || throughput != null) {
                def = billing(def, billing, throughput, now);
            }
            if (stream != null) {
                def = stream(def, stream, now);
            }
            if (deletionProtection != null) {
                def = def.withDeletionProtection(deletionProtection);
            }
            List<String> droppedMaps = new ArrayList<>();
            if (gsiUpdates != null) {
                def = indexes(def, gsiUpdates, attributes, created, droppedMaps);
            }
            engine.catalog().update(table, def);
            for (IndexDefinition i : created) {
                engine.catalog().backfill(table, i);
            }
            for (String map : droppedMaps) {
                engine.catalog().dropMap(map);
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.set("TableDescription", TableDescriptions.describe(table, "ACTIVE"));
            return response;
        });
    }

    private static TableDefinition billing(TableDefinition def, String billing, JsonNode throughput, long now) {
        String mode = billing != null ? billing : def.billingMode();
        boolean payPerRequest = mode.equals("PAY_PER_REQUEST");
        if (payPerRequest) {
            if (throughput != null) {
                throw DynamoException.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                        + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            return def.withBilling(mode, def.payPerRequest() ? def.billingModeChangedMillis() : Long.valueOf(now), Throughput.ZERO);
        }
        if (throughput == null) {
            if (def.payPerRequest()) {
                throw DynamoException.validation("One or more parameter values were invalid: ReadCapacityUnits and "
                        + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
            }
            return def.withBilling(mode, def.billingModeChangedMillis(), def.throughput());
        }
        long read = throughput.get("ReadCapacityUnits").asLong();
        long write = throughput.get("WriteCapacityUnits").asLong();
        Throughput old = def.throughput();
        if (!def.payPerRequest() && old.read() == read && old.write() == write) {
            throw DynamoException.validation("The provisioned throughput for the table will not change. The requested value equals "
                    + "the current value. Current ReadCapacityUnits provisioned for the table: " + old.read()
                    + ". Requested ReadCapacityUnits: " + read + ". Current WriteCapacityUnits provisioned for the table: "
                    + old.write() + ". Requested WriteCapacityUnits: " + write + ". Refer to the Amazon DynamoDB Developer "
                    + "Guide for current limits and how to request higher limits.");
        }
        boolean increase = read > old.read() || write > old.write();
        boolean decrease = read < old.read() || write < old.write();
        Throughput t = new Throughput(read, write, increase ? Long.valueOf(now) : old.lastIncreaseMillis(),
                decrease ? Long.valueOf(now) : old.lastDecreaseMillis());
        return def.withBilling(mode, def.billingModeChangedMillis(), t);
    }

    private static TableDefinition stream(TableDefinition def, JsonNode spec, long now) {
        Boolean enabled = Validation.bool(spec, "StreamEnabled");
        StreamInfo active = def.activeStream();
        List<StreamInfo> streams = new ArrayList<>(def.streams());
        if (Boolean.TRUE.equals(enabled)) {
            if (active != null) {
                throw DynamoException.validation("Table already has an enabled stream: TableName: " + def.name());
            }
            StreamInfo latest = def.latestStream();
            long created = latest == null ? now : Math.max(now, latest.createdMillis() + 1);
            StreamInfo s = CreateTable.newStream(spec, def.tableId(), created);
            streams.add(s);
        } else {
            if (Validation.text(spec, "StreamViewType") != null) {
                throw DynamoException.validation("One or more parameter values were invalid: "
                        + "StreamViewType cannot be specified when StreamEnabled is false");
            }
            if (enabled == null) {
                throw DynamoException.validation("One or more parameter values were invalid: StreamSpecification requires a StreamEnabled value");
            }
            if (active == null) {
                throw DynamoException.validation("Table has no stream to disable: TableName: " + def.name());
            }
            streams.set(streams.indexOf(active), active.disabledAt(now));
        }
        return def.withStreams(streams);
    }

    private static TableDefinition indexes(TableDefinition def, JsonNode updates, JsonNode attributes,
            List<IndexDefinition> created, List<String> droppedMaps) {
        Map<String, String> defs = new LinkedHashMap<>(def.attributeDefinitions());
        if (attributes != null) {
            for (JsonNode a : attributes) {
                String n = a.path("AttributeName").asText();
                String t = a.path("AttributeType").asText();
                String existing = defs.get(n);
                if (existing != null && !existing.equals(t)) {
                    throw DynamoException.validation("One or more parameter values were invalid: Inconsistent attribute types for "
                            + n + ": " + existing + " and " + t);
                }
                defs.put(n, t);
            }
        }
        List<IndexDefinition> gsis = new ArrayList<>(def.globalIndexes());
        for (JsonNode u : updates) {
            JsonNode create = u.get("Create");
            JsonNode update = u.get("Update");
            JsonNode delete = u.get("Delete");
            if (create != null && !create.isNull()) {
                String indexName = create.path("IndexName").asText();
                if (def.index(indexName) != null || gsis.stream().anyMatch(i -> i.name().equals(indexName))) {
                    throw DynamoException.validation("One or more parameter values were invalid: Duplicate index name: " + indexName);
                }
                IndexDefinition index = CreateTable.index(create, defs, String.join(", ", defs.keySet()), def.tableId(),
                        true, def.payPerRequest());
                gsis.add(index);
                created.add(index);
            } else if (update != null && !update.isNull()) {
                String indexName = update.path("IndexName").asText();
                int at = position(gsis, indexName);
                JsonNode pt = update.get("ProvisionedThroughput");
                if (pt != null && !pt.isNull()) {
                    gsis.set(at, gsis.get(at).withThroughput(Throughput.of(pt.path("ReadCapacityUnits").asLong(),
                            pt.path("WriteCapacityUnits").asLong())));
                }
            } else if (delete != null && !delete.isNull()) {
                int at = position(gsis, delete.path("IndexName").asText());
                droppedMaps.add(gsis.remove(at).mapName());
            } else {
                throw DynamoException.validation("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, "
                        + "GlobalSecondaryIndexUpdate.Update or GlobalSecondaryIndexUpdate.Delete must be specified");
            }
        }
        if (gsis.size() > CreateTable.MAX_GSIS) {
            throw DynamoException.validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
        }
        // Attribute definitions that no key uses any more are dropped, as DynamoDB does.
        Map<String, String> used = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : defs.entrySet()) {
            boolean isKey = def.keys().isKeyAttribute(e.getKey())
                    || def.localIndexes().stream().anyMatch(i -> i.keys().isKeyAttribute(e.getKey()))
                    || gsis.stream().anyMatch(i -> i.keys().isKeyAttribute(e.getKey()));
            if (isKey) {
                used.put(e.getKey(), e.getValue());
            }
        }
        return def.withGlobalIndexes(gsis, used);
    }

    private static int position(List<IndexDefinition> gsis, String indexName) {
        for (int i = 0; i < gsis.size(); i++) {
            if (gsis.get(i).name().equals(indexName)) {
                return i;
            }
        }
        throw DynamoException.resourceNotFound("Requested resource not found: Index: " + indexName + " not found");
    }
}
