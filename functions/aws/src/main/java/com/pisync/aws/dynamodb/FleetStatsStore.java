package com.pisync.aws.dynamodb;

import com.pisync.aws.stats.FleetStats;
import com.pisync.aws.stats.StatsItems;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Reads the fleet statistics of {@code GET /v1/stats/fleet?site}: three eventually consistent Queries
 * on one scope (30 day counters, 25 hour counters, the status counters, each times at most 16 shards),
 * never counting devices or events. The cost depends on how many shard items exist, never on the
 * size of the fleet: 1.5 read units for a small fleet, at most 12.5 (measured on 960 items) once every
 * shard of every day, hour and status has been written, as a busy fleet's will be.
 */
public final class FleetStatsStore implements com.pisync.aws.ports.FleetCounters {

    public static final int DAYS = 30;
    /** The last 24 full hours and the current one. */
    public static final int HOURS = 25;

    private final DynamoDbClient dynamo;
    private final String table;

    public FleetStatsStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * @param siteOrNull one site's statistics, or the whole fleet's when null
     * @param now the server clock: today (UTC) is the last of the 30 days
     */
    @Override
    public FleetStats read(String siteOrNull, Instant now) {
        String scope = StatsItems.scope(siteOrNull);
        return new FleetStats(devices(scope), last24h(scope, now), daily(scope, now));
    }

    /** Devices by status of one site (or the fleet when null): one Query of the status counters. */
    @Override
    public FleetStats.Devices devices(String siteOrNull, Instant now) {
        return devices(StatsItems.scope(siteOrNull));
    }

    /**
     * The same, read strongly consistent: what the site incident rule evaluates right after the stats function
     * changed the counters (contract v1.1).
     */
    public FleetStats.Devices devicesConsistent(String siteOrNull) {
        return devices(StatsItems.scope(siteOrNull), true);
    }

    private FleetStats.Devices devices(String scope) {
        return devices(scope, false);
    }

    private FleetStats.Devices devices(String scope, boolean consistent) {
        Map<String, BigDecimal> byStatus = new HashMap<>();
        query(scope, "begins_with(#c, :from)", StatsItems.STATUS, null, consistent, item -> {
            String status = middle(item.get(StatsItems.COUNTER).s(), StatsItems.STATUS);
            byStatus.merge(status, number(item, StatsItems.DEVICES), BigDecimal::add);
        });
        return new FleetStats.Devices(
                count(byStatus, "healthy"), count(byStatus, "failing"), count(byStatus, "offline"),
                count(byStatus, "never_synced"), count(byStatus, "decommissioned"));
    }

    private FleetStats.Last24h last24h(String scope, Instant now) {
        Instant current = now.truncatedTo(ChronoUnit.HOURS);
        Instant first = current.minus(HOURS - 1, ChronoUnit.HOURS);
        BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        query(scope, "#c BETWEEN :from AND :to", StatsItems.HOUR + StatsItems.hourName(first) + "#",
                StatsItems.HOUR + StatsItems.hourName(current) + "#~", item -> {
                    sums[0] = sums[0].add(number(item, StatsItems.SYNCS));
                    sums[1] = sums[1].add(number(item, StatsItems.FAILURES));
                    sums[2] = sums[2].add(number(item, StatsItems.FILES_SYNCED));
                    sums[3] = sums[3].add(number(item, StatsItems.SPEED_SUM));
                    sums[4] = sums[4].add(number(item, StatsItems.SPEED_COUNT));
                });
        Double avg = sums[4].signum() <= 0 ? null
                : sums[3].divide(sums[4], 2, RoundingMode.HALF_UP).doubleValue();
        return new FleetStats.Last24h(sums[0].longValue(), sums[1].longValue(), sums[2].longValue(), avg);
    }

    private List<FleetStats.Day> daily(String scope, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        Map<LocalDate, long[]> byDay = new TreeMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            byDay.put(d, new long[3]);
        }
        query(scope, "#c BETWEEN :from AND :to", StatsItems.DAY + first + "#", StatsItems.DAY + today + "#~", item -> {
            long[] day = byDay.get(LocalDate.parse(middle(item.get(StatsItems.COUNTER).s(), StatsItems.DAY)));
            if (day != null) {
                day[0] += number(item, StatsItems.SYNCS).longValue();
                day[1] += number(item, StatsItems.FAILURES).longValue();
                day[2] += number(item, StatsItems.FILES_SYNCED).longValue();
            }
        });
        List<FleetStats.Day> days = new ArrayList<>();
        byDay.forEach((date, v) -> days.add(new FleetStats.Day(date, v[0], v[1], v[2])));
        return days;
    }

    private void query(String scope, String sortCondition, String from, String to,
            Consumer<Map<String, AttributeValue>> each) {
        query(scope, sortCondition, from, to, false, each);
    }

    private void query(String scope, String sortCondition, String from, String to, boolean consistent,
            Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":scope", AttributeValue.fromS(scope));
        values.put(":from", AttributeValue.fromS(from));
        if (to != null) {
            values.put(":to", AttributeValue.fromS(to));
        }
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest request = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#s = :scope AND " + sortCondition)
                    .expressionAttributeNames(Map.of("#s", StatsItems.SCOPE, "#c", StatsItems.COUNTER))
                    .expressionAttributeValues(values)
                    .exclusiveStartKey(start)
                    .consistentRead(consistent)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build();
            QueryResponse page = dynamo.query(request);
            page.items().forEach(each);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** "day#2026-11-01#07" without prefix "day#" and the shard: "2026-11-01". */
    private static String middle(String counter, String prefix) {
        return counter.substring(prefix.length(), counter.lastIndexOf('#'));
    }

    private static BigDecimal number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? BigDecimal.ZERO : new BigDecimal(v.n());
    }

    private static long count(Map<String, BigDecimal> byStatus, String status) {
        return byStatus.getOrDefault(status, BigDecimal.ZERO).longValue();
    }
}
