package com.pisync.sweeper;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceIndexes;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A devices table of its own on the shared DynamoDB engine, with devices whose state is built the way
 * the processor builds it: {@link DeviceStateUpdater} applies sync events with chosen server receive
 * times (which set {@code last_seen_at} and the watch index keys) and {@link DeviceStore#commit} writes
 * them. The sweep gets its own client, metered and hookable; fixtures use an unmetered one.
 */
final class Fleet {

    /** The time of the sample scheduled event, and of every sweep unless a test says otherwise. */
    static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");

    final RequestMeter meter = new RequestMeter();
    final Hooks hooks = new Hooks();
    final DynamoDbClient dynamo;
    final DynamoDbClient setup;
    final PiSyncConfig config;
    final DeviceStore store;
    private final DeviceStateUpdater updater;

    Fleet() {
        URI endpoint = TestBed.shared().dynamoDb().endpoint();
        dynamo = LocalClients.dynamoDb(endpoint, meter, hooks);
        setup = LocalClients.dynamoDb(endpoint);
        String id = UUID.randomUUID().toString().substring(0, 8);
        config = PiSyncConfig.from(Map.of()).withResources("t" + id + "-", null, null);
        Tables.createIfMissing(setup, config, false); // fixed clock: no TTL
        store = new DeviceStore(setup, config.devicesTable());
        updater = new DeviceStateUpdater(config.failureThreshold());
    }

    OfflineSweep sweep() {
        return sweep(OfflineSweep.Limits.DEFAULTS);
    }

    OfflineSweep sweep(OfflineSweep.Limits limits) {
        return new OfflineSweep(dynamo, new DeviceStore(dynamo, config.devicesTable()), config,
                Clock.fixed(NOW, ZoneOffset.UTC), limits);
    }

    /** One successful sync received {@code ago} before {@link #NOW}. */
    void healthy(String deviceId, Duration ago) {
        upload(deviceId, NOW.minus(ago), false, 1);
    }

    /** Enough failed syncs to reach the failure threshold, received {@code ago} before {@link #NOW}. */
    void failing(String deviceId, Duration ago) {
        upload(deviceId, NOW.minus(ago), true, config.failureThreshold());
    }

    /** Many healthy devices at once; {@code ago} by index. */
    void healthy(List<String> deviceIds, java.util.function.IntFunction<Duration> ago) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < deviceIds.size(); i++) {
                int n = i;
                all.add(pool.submit(() -> healthy(deviceIds.get(n), ago.apply(n))));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** An upload applied and committed as the processor would (status computed at receipt). */
    void upload(String deviceId, Instant receivedAt, boolean failed, int events) {
        List<ReceivedSyncEvent> batch = new ArrayList<>();
        for (int k = events; k >= 1; k--) {
            Instant at = receivedAt.minusSeconds(60L * k);
            batch.add(new ReceivedSyncEvent(new SyncEvent(deviceId, deviceId + "-" + at.toEpochMilli(), at, null, 10,
                    failed ? 2 : 0, 8.5, failed ? "NET_TIMEOUT" : null, failed ? "Upload timed out" : null, 0L, null),
                    receivedAt));
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            DeviceRecord before = store.load(deviceId);
            DeviceStateUpdater.Result r = updater.apply(before.state(), batch, before.site(), key -> FailureStreak.NONE,
                    receivedAt);
            DeviceStatus status = DeviceStatus.of(before.decommissioned(), r.state(), config.failureThreshold(),
                    config.offlineWindow(), receivedAt);
            if (store.commit(before, r.state(), status, Set.of(), List.of(), before.failureDays(), receivedAt)) {
                return;
            }
        }
        throw new IllegalStateException("could not commit " + deviceId);
    }

    /** A raw update of the item, for writes no store method makes (registry edits, stale index keys). */
    void rawUpdate(String deviceId, String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        setup.updateItem(r -> r.tableName(config.devicesTable()).key(DeviceItems.key(deviceId))
                .updateExpression(expression).expressionAttributeNames(names)
                .expressionAttributeValues(values.isEmpty() ? null : values));
    }

    /** Bumps the version without changing the sync state, as a registry edit would. */
    void bumpVersion(String deviceId) {
        rawUpdate(deviceId, "SET #v = #v + :one", Map.of("#v", DeviceItems.VERSION), Map.of(":one", AttributeValue.fromN("1")));
    }

    Map<String, AttributeValue> item(String deviceId) {
        return setup.getItem(r -> r.tableName(config.devicesTable()).key(DeviceItems.key(deviceId)).consistentRead(true))
                .item();
    }

    String attribute(String deviceId, String name) {
        AttributeValue v = item(deviceId).get(name);
        return v == null ? null : v.s() != null ? v.s() : v.n();
    }

    String status(String deviceId) {
        return attribute(deviceId, DeviceItems.STATUS);
    }

    long version(String deviceId) {
        return Long.parseLong(attribute(deviceId, DeviceItems.VERSION));
    }

    /** Every device the offline_watch index lists, whatever its hour. */
    Set<String> watched() {
        Set<String> ids = new TreeSet<>();
        for (int s = 0; s < com.pisync.aws.dynamodb.Shards.COUNT; s++) {
            String shard = com.pisync.aws.dynamodb.Shards.name(s);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = setup.query(q -> q.tableName(config.devicesTable()).indexName(DeviceIndexes.OFFLINE_DUE)
                        .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", DeviceIndexes.WATCH_SHARD))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(shard))).exclusiveStartKey(from));
                page.items().forEach(i -> ids.add(i.get(DeviceItems.DEVICE_ID).s()));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return ids;
    }

    /** Runs actions just before the sweep's client sends an UpdateItem for a device: one per update. */
    static final class Hooks implements ExecutionInterceptor {
        private final Map<String, Deque<Runnable>> beforeUpdate = new ConcurrentHashMap<>();

        void beforeUpdateOf(String deviceId, Runnable... actions) {
            beforeUpdate.put(deviceId, new ArrayDeque<>(List.of(actions)));
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest update) {
                AttributeValue id = update.key().get(DeviceItems.DEVICE_ID);
                Deque<Runnable> actions = id == null ? null : beforeUpdate.get(id.s());
                Runnable action;
                synchronized (this) {
                    action = actions == null ? null : actions.poll();
                }
                if (action != null) {
                    action.run();
                }
            }
        }
    }

    static Map<String, String> names(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
