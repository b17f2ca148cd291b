package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.Page;
import com.pisync.domain.Device;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link DeviceDirectory} on the devices table: each listing reads one sharded index a page at a time
 * ({@link IndexPager}), each lookup is a GetItem or BatchGetItem. The positions are the indexes' sort keys.
 */
public final class DynamoDeviceDirectory implements DeviceDirectory {

    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final DeviceRegistry registry;
    private final IndexPager pager;
    private final String table;

    public DynamoDeviceDirectory(DynamoDbClient dynamo, IndexPager pager, String table) {
        this.registry = new DeviceRegistry(dynamo, table);
        this.pager = pager;
        this.table = table;
    }

    @Override
    public Device get(String deviceId) {
        return DeviceReadModel.fromItem(registry.get(deviceId, true));
    }

    @Override
    public Map<String, Device> get(List<String> deviceIds) {
        Map<String, Device> out = new HashMap<>();
        registry.getAll(deviceIds).forEach((id, item) -> out.put(id, DeviceReadModel.fromItem(item)));
        return out;
    }

    @Override
    public Page<String> page(Filter filter, String after, int limit) {
        List<String> sites = filter.sites();
        String status = filter.status();
        IndexPager.Query query;
        if (status != null && sites != null) {
            query = IndexPager.query(table, DeviceIndexes.BY_SITE_STATUS, DeviceIndexes.SITE_STATUS,
                    sites.stream().map(s -> s + "#" + status).toList(), DeviceItems.DEVICE_ID, false);
        } else if (sites != null) {
            query = IndexPager.query(table, DeviceIndexes.BY_SITE, DeviceItems.SITE, sites, DeviceItems.DEVICE_ID,
                    false);
        } else if (status != null) {
            query = IndexPager.query(table, DeviceIndexes.BY_STATUS, DeviceIndexes.STATUS_SHARD,
                    SHARDS.stream().map(s -> status + "#" + s).toList(), DeviceItems.DEVICE_ID, false);
        } else {
            query = IndexPager.query(table, DeviceIndexes.ALL_DEVICES, DeviceIndexes.LIST_SHARD, SHARDS,
                    DeviceItems.DEVICE_ID, false);
        }
        if (filter.type() != null) {
            query = query.withFilter("#ft = :ft", Map.of("#ft", DeviceItems.TYPE),
                    Map.of(":ft", AttributeValue.fromS(filter.type())));
        }
        return ids(pager.page(query, after, limit));
    }

    @Override
    public Page<String> idsStartingWith(String prefix, String after, int limit) {
        return ids(pager.page(IndexPager.range(IndexPager.query(table, DeviceIndexes.ALL_DEVICES,
                DeviceIndexes.LIST_SHARD, SHARDS, DeviceItems.DEVICE_ID, false), prefix, prefix + IndexPager.MAX),
                after, limit));
    }

    @Override
    public Page<String> namesStartingWith(String lowerCasePrefix, String after, int limit) {
        return ids(pager.page(IndexPager.range(IndexPager.query(table, DeviceIndexes.BY_NAME,
                DeviceIndexes.LIST_SHARD, SHARDS, DeviceIndexes.NAME_KEY, false), lowerCasePrefix,
                lowerCasePrefix + IndexPager.MAX), after, limit));
    }

    @Override
    public Page<String> failing(String after, int limit) {
        return ids(pager.page(IndexPager.query(table, DeviceIndexes.FAILING, DeviceIndexes.FAILING_SHARD, SHARDS,
                DeviceIndexes.FAILING_RANK, true), after, limit));
    }

    @Override
    public Page<String> atRisk(List<String> sites, Instant atRiskSinceUpTo, String after, int limit) {
        IndexPager.Query query = sites == null
                ? IndexPager.query(table, DeviceIndexes.AT_RISK, DeviceIndexes.RISK_SHARD, SHARDS,
                        DeviceIndexes.RISK_KEY, false)
                : IndexPager.query(table, DeviceIndexes.AT_RISK_BY_SITE, DeviceIndexes.RISK_SITE, sites,
                        DeviceIndexes.RISK_KEY, false);
        if (atRiskSinceUpTo != null) {
            query = IndexPager.range(query, null, DeviceIndexes.riskKeyUpTo(atRiskSinceUpTo));
        }
        return ids(pager.page(query, after, limit));
    }

    private static Page<String> ids(IndexPager.Result r) {
        return new Page<>(r.items().stream().map(i -> i.get(DeviceItems.DEVICE_ID).s()).toList(), r.nextAfter());
    }
}
