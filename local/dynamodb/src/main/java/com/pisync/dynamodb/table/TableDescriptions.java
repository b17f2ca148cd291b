package com.pisync.dynamodb.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** DynamoDB's TableDescription of a table, as DescribeTable, CreateTable, UpdateTable and DeleteTable answer it. */
public final class TableDescriptions {

    private TableDescriptions() {
    }

    public static ObjectNode describe(Table table, String status) {
        TableDefinition def = table.definition();
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        ArrayNode attrs = d.putArray("AttributeDefinitions");
        for (Map.Entry<String, String> e : def.attributeDefinitions().entrySet()) {
            attrs.addObject().put("AttributeName", e.getKey()).put("AttributeType", e.getValue());
        }
        d.put("TableName", def.name());
        keySchema(d.putArray("KeySchema"), def.keys());
        d.put("TableStatus", status);
        d.put("CreationDateTime", seconds(def.createdMillis()));
        throughput(d.putObject("ProvisionedThroughput"), def.payPerRequest() ? Throughput.ZERO : def.throughput());
        d.put("TableSizeBytes", table.sizeBytes());
        d.put("ItemCount", table.itemCount());
        d.put("TableArn", def.arn());
        d.put("TableId", def.tableId());
        if (def.payPerRequest() || def.billingModeGiven()) {
            ObjectNode b = d.putObject("BillingModeSummary");
            b.put("BillingMode", def.billingMode());
            if (def.payPerRequest()) {
                b.put("LastUpdateToPayPerRequestDateTime",
                        seconds(def.billingModeChangedMillis() == null ? def.createdMillis() : def.billingModeChangedMillis()));
            }
        }
        if (!def.localIndexes().isEmpty()) {
            ArrayNode l = d.putArray("LocalSecondaryIndexes");
            for (IndexDefinition i : def.localIndexes()) {
                ObjectNode n = l.addObject();
                n.put("IndexName", i.name());
                keySchema(n.putArray("KeySchema"), i.keys());
                projection(n.putObject("Projection"), i);
                n.put("IndexSizeBytes", table.indexSizeBytes(i.name()));
                n.put("ItemCount", table.indexItemCount(i.name()));
                n.put("IndexArn", def.arn() + "/index/" + i.name());
            }
        }
        if (!def.globalIndexes().isEmpty()) {
            ArrayNode g = d.putArray("GlobalSecondaryIndexes");
            for (IndexDefinition i : def.globalIndexes()) {
                ObjectNode n = g.addObject();
                n.put("IndexName", i.name());
                keySchema(n.putArray("KeySchema"), i.keys());
                projection(n.putObject("Projection"), i);
                n.put("IndexStatus", "ACTIVE");
                throughput(n.putObject("ProvisionedThroughput"),
                        def.payPerRequest() || i.throughput() == null ? Throughput.ZERO : i.throughput());
                n.put("IndexSizeBytes", table.indexSizeBytes(i.name()));
                n.put("ItemCount", table.indexItemCount(i.name()));
                n.put("IndexArn", def.arn() + "/index/" + i.name());
            }
        }
        StreamInfo active = def.activeStream();
        if (active != null) {
            d.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", active.viewType());
        }
        StreamInfo latest = def.latestStream();
        if (latest != null) {
            d.put("LatestStreamLabel", latest.label());
            d.put("LatestStreamArn", def.streamArn(latest));
        }
        d.put("DeletionProtectionEnabled", def.deletionProtection());
        return d;
    }

    static void keySchema(ArrayNode a, KeySchema k) {
        a.addObject().put("AttributeName", k.partitionName()).put("KeyType", "HASH");
        if (k.hasSort()) {
            a.addObject().put("AttributeName", k.sortName()).put("KeyType", "RANGE");
        }
    }

    static void projection(ObjectNode p, IndexDefinition i) {
        p.put("ProjectionType", i.projectionType());
        if (i.nonKeyAttributes() != null && !i.nonKeyAttributes().isEmpty()) {
            ArrayNode a = p.putArray("NonKeyAttributes");
            i.nonKeyAttributes().forEach(a::add);
        }
    }

    static void throughput(ObjectNode p, Throughput t) {
        if (t.lastIncreaseMillis() != null) {
            p.put("LastIncreaseDateTime", seconds(t.lastIncreaseMillis()));
        }
        if (t.lastDecreaseMillis() != null) {
            p.put("LastDecreaseDateTime", seconds(t.lastDecreaseMillis()));
        }
        p.put("NumberOfDecreasesToday", 0);
        p.put("ReadCapacityUnits", t.read());
        p.put("WriteCapacityUnits", t.write());
    }

    /** Epoch seconds with milliseconds, the JSON protocol's timestamp form. */
    public static java.math.BigDecimal seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3);
    }
}
