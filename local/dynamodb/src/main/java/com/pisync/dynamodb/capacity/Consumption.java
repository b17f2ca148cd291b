package com.pisync.dynamodb.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity units one request consumed on one table and its indexes, reported as DynamoDB's
 * {@code ConsumedCapacity}: TOTAL gives the sums, INDEXES adds the table and each index separately.
 */
public final class Consumption {

    public enum Mode { NONE, TOTAL, INDEXES }

    private static final double READ_UNIT = 4096;
    private static final double WRITE_UNIT = 1024;

    private final String tableName;
    private double tableRead;
    private double tableWrite;
    private final Map<String, double[]> globalIndexes = new LinkedHashMap<>();
    private final Map<String, double[]> localIndexes = new LinkedHashMap<>();

    public Consumption(String tableName) {
        this.tableName = tableName;
    }

    /** The request's ReturnConsumedCapacity (absent = NONE), with DynamoDB's enum message. */
    public static Mode mode(JsonNode request) {
        JsonNode node = request.get("ReturnConsumedCapacity");
        if (node == null || node.isNull()) {
            return Mode.NONE;
        }
        String text = node.asText();
        switch (text) {
            case "NONE":
                return Mode.NONE;
            case "TOTAL":
                return Mode.TOTAL;
            case "INDEXES":
                return Mode.INDEXES;
            default:
                throw DynamoException.validation("1 validation error detected: Value '" + text
                        + "' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
        }
    }

    /** Read units for {@code bytes} read at once: 4 KB units rounded up (at least one), halved when eventually consistent. */
    public static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / READ_UNIT));
        return consistent ? units : units / 2;
    }

    /** Write units: 1 KB units rounded up, at least one. */
    public static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / WRITE_UNIT));
    }

    public String tableName() {
        return tableName;
    }

    public void tableRead(double units) {
        tableRead += units;
    }

    public void tableWrite(double units) {
        tableWrite += units;
    }

    public void indexRead(String index, boolean global, double units) {
        (global ? globalIndexes : localIndexes).computeIfAbsent(index, k -> new double[2])[0] += units;
    }

    public void indexWrite(String index, boolean global, double units) {
        (global ? globalIndexes : localIndexes).computeIfAbsent(index, k -> new double[2])[1] += units;
    }

    /** Multiplies everything (transactions cost twice). */
    public void scale(double factor) {
        tableRead *= factor;
        tableWrite *= factor;
        for (double[] v : globalIndexes.values()) {
            v[0] *= factor;
            v[1] *= factor;
        }
        for (double[] v : localIndexes.values()) {
            v[0] *= factor;
            v[1] *= factor;
        }
    }

    public void add(Consumption other) {
        tableRead += other.tableRead;
        tableWrite += other.tableWrite;
        other.globalIndexes.forEach((k, v) -> {
            double[] mine = globalIndexes.computeIfAbsent(k, x -> new double[2]);
            mine[0] += v[0];
            mine[1] += v[1];
        });
        other.localIndexes.forEach((k, v) -> {
            double[] mine = localIndexes.computeIfAbsent(k, x -> new double[2]);
            mine[0] += v[0];
            mine[1] += v[1];
        });
    }

    public double totalRead() {
        double r = tableRead;
        for (double[] v : globalIndexes.values()) {
            r += v[0];
        }
        for (double[] v : localIndexes.values()) {
            r += v[0];
        }
        return r;
    }

    public double totalWrite() {
        double w = tableWrite;
        for (double[] v : globalIndexes.values()) {
            w += v[1];
        }
        for (double[] v : localIndexes.values()) {
            w += v[1];
        }
        return w;
    }

    public double total() {
        return totalRead() + totalWrite();
    }

    public ObjectNode toJson(Mode mode) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("TableName", tableName);
        units(node, totalRead(), totalWrite());
        if (mode == Mode.INDEXES) {
            units(node.putObject("Table"), tableRead, tableWrite);
            if (!globalIndexes.isEmpty()) {
                ObjectNode g = node.putObject("GlobalSecondaryIndexes");
                globalIndexes.forEach((k, v) -> units(g.putObject(k), v[0], v[1]));
            }
            if (!localIndexes.isEmpty()) {
                ObjectNode l = node.putObject("LocalSecondaryIndexes");
                localIndexes.forEach((k, v) -> units(l.putObject(k), v[0], v[1]));
            }
        }
        return node;
    }

    private static void units(ObjectNode node, double read, double write) {
        node.put("CapacityUnits", read + write);
        if (read > 0) {
            node.put("ReadCapacityUnits", read);
        }
        if (write > 0) {
            node.put("WriteCapacityUnits", write);
        }
    }
}
