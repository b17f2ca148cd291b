package com.pisync.dynamodb.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** CreateTable: checks the request as DynamoDB does (in its order, with its messages); the table is ACTIVE at once. */
public final class CreateTable implements Operation {

    static final int MAX_GSIS = 20;
    static final int MAX_LSIS = 5;
    static final int MAX_NON_KEY_ATTRIBUTES = 100;

    @Override
    public ObjectNode apply(Engine engine, JsonNode request) {
        TableDefinition def = parse(request, engine.nowMillis());
        return engine.writeStructural(() -> {
            if (engine.catalog().get(def.name()) != null) {
                throw DynamoException.resourceInUse("Table already exists: " + def.name());
            }
            Table table = engine.catalog().create(def);
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.set("TableDescription", TableDescriptions.describe(table, "ACTIVE"));
            return response;
        });
    }

    static TableDefinition parse(JsonNode r, long now) {
        JsonNode attributes = Validation.array(r, "AttributeDefinitions");
        JsonNode keySchema = Validation.array(r, "KeySchema");
        JsonNode gsis = Validation.array(r, "GlobalSecondaryIndexes");
        JsonNode lsis = Validation.array(r, "LocalSecondaryIndexes");
        JsonNode throughput = Validation.object(r, "ProvisionedThroughput");
        JsonNode stream = Validation.object(r, "StreamSpecification");
        String billing = Validation.text(r, "BillingMode");

        Validation v = Validation.start();
        v.notNull(attributes, "attributeDefinitions");
        if (attributes != null) {
            int n = 1;
            for (JsonNode a : attributes) {
                v.notNull(a.get("AttributeName"), "attributeDefinitions." + n + ".member.attributeName");
                v.length(a.get("AttributeName"), "attributeDefinitions." + n + ".member.attributeName", 1, 255);
                v.notNull(a.get("AttributeType"), "attributeDefinitions." + n + ".member.attributeType");
                v.oneOf(a.get("AttributeType"), "attributeDefinitions." + n + ".member.attributeType", "B", "N", "S");
                n++;
            }
        }
        v.name(r.get("TableName"), "tableName", true);
        v.notNull(keySchema, "keySchema");
        v.length(keySchema, "keySchema", 1, 2);
        checkKeySchemaMembers(v, keySchema, "keySchema");
        checkIndexMembers(v, lsis, "localSecondaryIndexes");
        checkIndexMembers(v, gsis, "globalSecondaryIndexes");
        v.oneOf(r.get("BillingMode"), "billingMode", "PROVISIONED", "PAY_PER_REQUEST");
        checkThroughputMembers(v, throughput, "provisionedThroughput");
        if (stream != null) {
            v.oneOf(stream.get("StreamViewType"), "streamSpecification.streamViewType",
                    "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");
        }
        v.check();

        boolean payPerRequest = "PAY_PER_REQUEST".equals(billing);
        Throughput tableThroughput = billingThroughput(payPerRequest, throughput, "");

        Map<String, String> defs = new LinkedHashMap<>();
        for (JsonNode a : attributes) {
            String name = a.get("AttributeName").asText();
            if (defs.put(name, a.get("AttributeType").asText()) != null) {
                throw DynamoException.validation("Cannot have two attributes with the same name");
            }
        }
        List<String> keys = names(keySchema);
        String defNames = String.join(", ", defs.keySet());
        if (keys.size() == 2) {
            if (!defs.containsKey(keys.get(0)) || !defs.containsKey(keys.get(1))
                    || keys.get(0).equals(keys.get(1)) && defs.size() == 1) {
                throw DynamoException.validation("Invalid KeySchema: Some index key attribute have no definition");
            }
        } else if (!defs.containsKey(keys.get(0))) {
            throw DynamoException.validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                    + "AttributeDefinitions. Keys: [" + String.join(", ", keys) + "], AttributeDefinitions: [" + defNames + "]");
        }
        if (keys.size() == 2 && keys.get(0).equals(keys.get(1))) {
            throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        KeySchema tableKeys = keySchema(keySchema, defs, "");
        if (lsis == null && gsis == null && keys.size() != defs.size()) {
            throw DynamoException.validation("One or more parameter values were invalid: Number of attributes in KeySchema does "
                    + "not exactly match number of attributes defined in AttributeDefinitions");
        }
        String tableId = UUID.randomUUID().toString();
        Set<String> indexNames = new HashSet<>();
        List<IndexDefinition> locals = new ArrayList<>();
        if (lsis != null) {
            if (lsis.isEmpty()) {
                throw DynamoException.validation("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty");
            }
            if (!tableKeys.hasSort()) {
                throw DynamoException.validation("One or more parameter values were invalid: Table KeySchema does not have a range key, "
                        + "which is required when specifying a LocalSecondaryIndex");
            }
            for (JsonNode i : lsis) {
                IndexDefinition index = index(i, defs, defNames, tableId, false, payPerRequest);
                if (!index.keys().hasSort()) {
                    throw DynamoException.validation("One or more parameter values were invalid: Index KeySchema does not have a range key for index: "
                            + index.name());
                }
                if (!index.keys().partitionName().equals(tableKeys.partitionName())) {
                    throw DynamoException.validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                            + index.name() + ". index hash key: " + index.keys().partitionName() + ", table hash key: "
                            + tableKeys.partitionName());
                }
                if (!indexNames.add(index.name())) {
                    throw DynamoException.validation("One or more parameter values were invalid: Duplicate index name: " + index.name());
                }
                locals.add(index);
            }
            if (locals.size() > MAX_LSIS) {
                throw DynamoException.validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5");
            }
        }
        List<IndexDefinition> globals = new ArrayList<>();
        if (gsis != null) {
            if (gsis.isEmpty()) {
                throw DynamoException.validation("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty");
            }
            for (JsonNode i : gsis) {
                IndexDefinition index = index(i, defs, defNames, tableId, true, payPerRequest);
                if (!indexNames.add(index.name())) {
                    throw DynamoException.validation("One or more parameter values were invalid: Duplicate index name: " + index.name());
                }
                globals.add(index);
            }
            if (globals.size() > MAX_GSIS) {
                throw DynamoException.validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
            }
        }
        checkNonKeyAttributeTotal(locals, globals);
        Set<String> used = new LinkedHashSet<>(keys);
        for (IndexDefinition i : locals) {
            used.add(i.keys().partitionName());
            used.add(i.keys().sortName());
        }
        for (IndexDefinition i : globals) {
            used.add(i.keys().partitionName());
            if (i.keys().hasSort()) {
                used.add(i.keys().sortName());
            }
        }
        if (!used.containsAll(defs.keySet()) || used.size() != defs.size()) {
            throw DynamoException.validation("One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                    + "AttributeDefinitions: [" + defNames + "], keys used: [" + String.join(", ", used) + "]");
        }
        List<StreamInfo> streams = new ArrayList<>();
        if (stream != null) {
            StreamInfo s = newStream(stream, tableId, now);
            if (s != null) {
                streams.add(s);
            }
        }
        boolean deletionProtection = Boolean.TRUE.equals(Validation.bool(r, "DeletionProtectionEnabled"));
        return new TableDefinition(r.get("TableName").asText(), tableId, now, defs, tableKeys, globals, locals,
                payPerRequest ? "PAY_PER_REQUEST" : "PROVISIONED", null, billing != null, tableThroughput, streams,
                null, false, deletionProtection, "t." + tableId + ".items");
    }

    /** A new stream from a StreamSpecification, or null when it does not enable one. */
    static StreamInfo newStream(JsonNode spec, String tableId, long now) {
        Boolean enabled = Validation.bool(spec, "StreamEnabled");
        String view = Validation.text(spec, "StreamViewType");
        if (enabled == null) {
            throw DynamoException.validation("One or more parameter values were invalid: StreamSpecification requires a StreamEnabled value");
        }
        if (!enabled) {
            if (view != null) {
                throw DynamoException.validation("One or more parameter values were invalid: "
                        + "StreamViewType cannot be specified when StreamEnabled is false");
            }
            return null;
        }
        if (view == null) {
            throw DynamoException.validation("One or more parameter values were invalid: "
                    + "StreamViewType is required when StreamEnabled is true");
        }
        return Streams.create(tableId, view, now);
    }

    static Throughput billingThroughput(boolean payPerRequest, JsonNode throughput, String what) {
        if (payPerRequest) {
            if (throughput != null) {
                throw DynamoException.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                        + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            return Throughput.ZERO;
        }
        if (throughput == null) {
            throw DynamoException.validation("One or more parameter values were invalid: ReadCapacityUnits and "
                    + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED" + what);
        }
        long read = throughput.get("ReadCapacityUnits").asLong();
        long write = throughput.get("WriteCapacityUnits").asLong();
        if (read > 1_000_000_000_000L) {
            throw DynamoException.validation("Given value " + read + " for ReadCapacityUnits is out of bounds");
        }
        if (write > 1_000_000_000_000L) {
            throw DynamoException.validation("Given value " + write + " for WriteCapacityUnits is out of bounds");
        }
        return Throughput.of(read, write);
    }

    static void checkThroughputMembers(Validation v, JsonNode t, String member) {
        if (t == null) {
            return;
        }
        v.notNull(t.get("WriteCapacityUnits"), member + ".writeCapacityUnits");
        v.range(t.get("WriteCapacityUnits"), member + ".writeCapacityUnits", 1, Long.MAX_VALUE);
        v.notNull(t.get("ReadCapacityUnits"), member + ".readCapacityUnits");
        v.range(t.get("ReadCapacityUnits"), member + ".readCapacityUnits", 1, Long.MAX_VALUE);
    }

    static void checkKeySchemaMembers(Validation v, JsonNode keySchema, String member) {
        if (keySchema == null) {
            return;
        }
        int n = 1;
        for (JsonNode k : keySchema) {
            String m = member + "." + n + ".member";
            v.notNull(k.get("AttributeName"), m + ".attributeName");
            v.length(k.get("AttributeName"), m + ".attributeName", 1, 255);
            v.notNull(k.get("KeyType"), m + ".keyType");
            v.oneOf(k.get("KeyType"), m + ".keyType", "HASH", "RANGE");
            n++;
        }
    }

    static void checkIndexMembers(Validation v, JsonNode indexes, String member) {
        if (indexes == null) {
            return;
        }
        int n = 1;
        for (JsonNode i : indexes) {
            String m = member + "." + n + ".member";
            v.notNull(i.get("KeySchema"), m + ".keySchema");
            v.length(i.get("KeySchema"), m + ".keySchema", 1, 2);
            checkKeySchemaMembers(v, i.get("KeySchema"), m + ".keySchema");
            v.notNull(i.get("Projection"), m + ".projection");
            if (i.get("Projection") != null) {
                v.oneOf(i.get("Projection").get("ProjectionType"), m + ".projection.projectionType",
                        "ALL", "KEYS_ONLY", "INCLUDE");
                v.length(i.get("Projection").get("NonKeyAttributes"), m + ".projection.nonKeyAttributes", 1, 20);
            }
            v.name(i.get("IndexName"), m + ".indexName", true);
            checkThroughputMembers(v, i.get("ProvisionedThroughput"), m + ".provisionedThroughput");
            n++;
        }
    }

    static List<String> names(JsonNode keySchema) {
        List<String> names = new ArrayList<>();
        for (JsonNode k : keySchema) {
            names.add(k.get("AttributeName").asText());
        }
        return names;
    }

    static KeySchema keySchema(JsonNode keySchema, Map<String, String> defs, String unused) {
        if (!"HASH".equals(keySchema.get(0).get("KeyType").asText())) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (keySchema.size() == 2 && !"RANGE".equals(keySchema.get(1).get("KeyType").asText())) {
            throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        String hash = keySchema.get(0).get("AttributeName").asText();
        String range = keySchema.size() == 2 ? keySchema.get(1).get("AttributeName").asText() : null;
        return new KeySchema(hash, defs.get(hash), range, range == null ? null : defs.get(range));
    }

    static IndexDefinition index(JsonNode i, Map<String, String> defs, String defNames, String tableId, boolean global,
            boolean payPerRequest) {
        String name = i.get("IndexName").asText();
        JsonNode ks = i.get("KeySchema");
        List<String> keys = names(ks);
        for (String k : keys) {
            if (!defs.containsKey(k)) {
                throw DynamoException.validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                        + "AttributeDefinitions. Keys: [" + String.join(", ", keys) + "], AttributeDefinitions: [" + defNames + "]");
            }
        }
        if (keys.size() == 2 && keys.get(0).equals(keys.get(1))) {
            throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        KeySchema k = keySchema(ks, defs, "");
        JsonNode projection = i.get("Projection");
        JsonNode typeNode = projection.get("ProjectionType");
        if (typeNode == null || typeNode.isNull()) {
            throw DynamoException.validation("One or more parameter values were invalid: Unknown ProjectionType: null");
        }
        String type = typeNode.asText();
        JsonNode nonKey = projection.get("NonKeyAttributes");
        List<String> nonKeyAttributes = null;
        if (nonKey != null && !nonKey.isNull()) {
            if (!"INCLUDE".equals(type)) {
                throw DynamoException.validation("One or more parameter values were invalid: ProjectionType is " + type
                        + ", but NonKeyAttributes is specified");
            }
            nonKeyAttributes = new ArrayList<>();
            for (JsonNode a : nonKey) {
                nonKeyAttributes.add(a.asText());
            }
        } else if ("INCLUDE".equals(type)) {
            nonKeyAttributes = List.of();
        }
        Throughput t = null;
        if (global) {
            JsonNode pt = i.get("ProvisionedThroughput");
            if (payPerRequest) {
                if (pt != null && !pt.isNull()) {
                    throw DynamoException.validation("One or more parameter values were invalid: ProvisionedThroughput should not be "
                            + "specified for index: " + name + " when BillingMode is PAY_PER_REQUEST");
                }
                t = Throughput.ZERO;
            } else {
                if (pt == null || pt.isNull()) {
                    throw DynamoException.validation("One or more parameter values were invalid: ProvisionedThroughput is not "
                            + "specified for index: " + name);
                }
                t = Throughput.of(pt.get("ReadCapacityUnits").asLong(), pt.get("WriteCapacityUnits").asLong());
            }
        }
        return new IndexDefinition(name, global, k, type, nonKeyAttributes, t,
                "t." + tableId + ".i." + UUID.randomUUID());
    }

    static void checkNonKeyAttributeTotal(List<IndexDefinition> locals, List<IndexDefinition> globals) {
        Set<String> all = new HashSet<>();
        for (IndexDefinition i : locals) {
            if (i.nonKeyAttributes() != null) {
                all.addAll(i.nonKeyAttributes());
            }
        }
        for (IndexDefinition i : globals) {
            if (i.nonKeyAttributes() != null) {
                all.addAll(i.nonKeyAttributes());
            }
        }
        if (all.size() > MAX_NON_KEY_ATTRIBUTES) {
            throw DynamoException.validation("One or more parameter values were invalid: The sum of distinct NonKeyAttributes "
                    + "across all secondary indexes exceeds the limit of 100");
        }
    }
}
