package com.pisync.bench.cost;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Item sizes as DynamoDB counts them for capacity (attribute names + values: strings in UTF-8, numbers about one
 * byte per two significant digits + 1, lists and maps 3 bytes + 1 per element), measured on stored items.
 */
public final class ItemSizes {

    private ItemSizes() {
    }

    /**
     * Size distribution of up to {@code sample} items of a table whose device id starts with {@code devicePrefix}
     * (one scenario's devices: the runs share their tables) and that {@code keep} accepts:
     * {min, p50, p90, max, mean, p99}, all 0 when there is none. A benchmark's Scan, after the run.
     */
    public static double[] sample(DynamoDbClient dynamo, String table, String devicePrefix, int sample,
            Predicate<Map<String, AttributeValue>> keep) {
        List<Long> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).exclusiveStartKey(from)
                    .filterExpression("begins_with(device_id, :p)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(devicePrefix))));
            page.items().stream().filter(keep).limit(sample - found.size()).forEach(i -> found.add(size(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() < sample);
        long[] sizes = found.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sizes.length == 0) {
            return new double[6];
        }
        return new double[] {sizes[0], sizes[(sizes.length - 1) / 2], sizes[(int) ((sizes.length - 1) * 0.9)],
                sizes[sizes.length - 1], Arrays.stream(sizes).average().orElse(0),
                sizes[(int) ((sizes.length - 1) * 0.99)]};
    }

    public static long size(Map<String, AttributeValue> item) {
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += utf8(e.getKey()) + size(e.getValue());
        }
        return n;
    }

    static long size(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return number(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(ItemSizes::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(ItemSizes::number).sum();
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(x -> 1 + size(x)).sum();
        }
        if (v.hasM()) {
            return 3 + v.m().entrySet().stream().mapToLong(x -> 1 + utf8(x.getKey()) + size(x.getValue())).sum();
        }
        return 1;
    }

    static long number(String n) {
        String digits = n.replaceAll("[^0-9]", "").replaceAll("^0+", "").replaceAll("0+$", "");
        return Math.max(1, (digits.length() + 1) / 2) + 1;
    }

    static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
