package com.pisync.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.aws.dynamodb.FleetCounterStore;
import com.pisync.aws.stats.FleetStats;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.domain.DeviceState;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.StreamPoller;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Real item shapes through real streams: tables of their own on the shared DynamoDB engine, the
 * processor's stores writing devices and history as the processor does, {@link StreamPoller}s standing
 * in for Lambda's event source and feeding {@link StatsHandler}, and the reader the query function uses.
 */
final class StatsBed {

    /** Today noon (UTC): counters' TTLs stay in the future whatever day the tests run. */
    static final Instant NOW = LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
    static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    static final int THRESHOLD = 3;

    /** Requests of the test's writers and of the reader. */
    final RequestMeter meter = new RequestMeter();
    /** Requests of the stats function alone. */
    final RequestMeter statsMeter = new RequestMeter();
    final DynamoDbClient dynamo;
    final DynamoDbStreamsClient streams;
    final PiSyncConfig config;
    final StatsHandler handler;
    final StreamPoller deviceStream;
    final StreamPoller eventStream;
    final DeviceStore devices;
    final SyncEventStore history;
    final FleetStatsStore stats;
    private final DeviceStateUpdater updater = new DeviceStateUpdater(THRESHOLD);

    StatsBed() {
        this(99, StreamPoller.DEFAULT_BATCH_SIZE);
    }

    /**
     * @param maxCounters counters per transaction
     * @param batchSize records per handler invocation
     * @param interceptors on the stats function's client only (faults)
     */
    StatsBed(int maxCounters, int batchSize, ExecutionInterceptor... interceptors) {
        TestBed bed = TestBed.shared();
        dynamo = LocalClients.dynamoDb(bed.dynamoDb().endpoint(), meter);
        streams = StreamPoller.localStreamsClient(bed.dynamoDb().endpoint());
        config = PiSyncConfig.from(Map.of()).withResources("t" + UUID.randomUUID().toString().substring(0, 8) + "-",
                null, null);
        Tables.createIfMissing(dynamo, config, false); // fixed clock: no TTL
        ExecutionInterceptor[] statsInterceptors = new ExecutionInterceptor[interceptors.length + 1];
        statsInterceptors[0] = statsMeter;
        System.arraycopy(interceptors, 0, statsInterceptors, 1, interceptors.length);
        DynamoDbClient statsClient = LocalClients.dynamoDb(bed.dynamoDb().endpoint(), statsInterceptors);
        handler = new StatsHandler(new FleetCounting(config.syncEventsTable(), config.devicesTable()),
                new FleetCounterStore(statsClient, config.statsTable(), maxCounters), Clock.fixed(NOW, ZoneOffset.UTC));
        deviceStream = StreamPoller.forTable(dynamo, streams, config.devicesTable(), e -> handler.handleRequest(e, null),
                batchSize);
        eventStream = StreamPoller.forTable(dynamo, streams, config.syncEventsTable(),
                e -> handler.handleRequest(e, null), batchSize);
        devices = new DeviceStore(dynamo, config.devicesTable());
        history = new SyncEventStore(dynamo, config.syncEventsTable(), config.historyRetention());
        stats = new FleetStatsStore(dynamo, config.statsTable());
    }

    /** Lets the stats function catch up with both streams. */
    void drain() {
        deviceStream.drain();
        eventStream.drain();
    }

    FleetStats read(String site) {
        return stats.read(site, NOW);
    }

    /** A device as the admin API registers it: never synced, in a site (or none). */
    void register(String deviceId, String siteOrNull) {
        DeviceRecord before = devices.load(deviceId);
        assertTrue(devices.commit(before, DeviceState.initial(deviceId), DeviceStatus.NEVER_SYNCED, Set.of(), List.of(),
                Map.of(), NOW));
        if (siteOrNull != null) {
            moveToSite(deviceId, siteOrNull);
        }
    }

    /**
     * Registers devices "dev-0".."dev-(n-1)" in sites "site-0".."site-(sites-1)" (round robin), as the
     * admin API's registration puts them: never synced, with their site; 25 to a BatchWriteItem.
     */
    void registerAll(int n, int sites) {
        List<WriteRequest> puts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int device = i;
            puts.add(WriteRequest.builder().putRequest(p -> p.item(Map.of(
                    DeviceItems.DEVICE_ID, AttributeValue.fromS("dev-" + device),
                    DeviceItems.VERSION, AttributeValue.fromN("1"),
                    DeviceItems.STATUS, AttributeValue.fromS(DeviceStatus.NEVER_SYNCED.wireName()),
                    DeviceItems.SITE, AttributeValue.fromS("site-" + (device % sites))))).build());
        }
        for (int from = 0; from < puts.size(); from += 25) {
            List<WriteRequest> batch = puts.subList(from, Math.min(puts.size(), from + 25));
            Map<String, List<WriteRequest>> request = Map.of(config.devicesTable(), batch);
            while (!request.isEmpty()) {
                Map<String, List<WriteRequest>> pending = request;
                request = dynamo.batchWriteItem(r -> r.requestItems(pending)).unprocessedItems();
            }
        }
    }

    /** The admin API's PATCH of a device's site (a registry attribute the processor never writes). */
    void moveToSite(String deviceId, String site) {
        dynamo.updateItem(r -> r.tableName(config.devicesTable()).key(DeviceItems.key(deviceId))
                .updateExpression("SET #site = :site")
                .expressionAttributeNames(Map.of("#site", DeviceItems.SITE))
                .expressionAttributeValues(Map.of(":site", AttributeValue.fromS(site))));
    }

    void decommission(String deviceId) {
        assertTrue(devices.updateStatus(devices.load(deviceId), DeviceStatus.DECOMMISSIONED));
    }

    /**
     * What the processor writes for a device's new events: the state commit, then the history — events newer than
     * the device's newest as one upload (an upload item when two or more), late ones where they fall.
     */
    void sync(String deviceId, ReceivedSyncEvent... events) {
        DeviceRecord before = devices.load(deviceId);
        DeviceStateUpdater.Result result = updater.apply(before.state(), List.of(events), before.site(),
                key -> history.failuresAfter(deviceId, key), NOW);
        DeviceStatus status = DeviceStatus.of(before.decommissioned(), result.state(), THRESHOLD,
                config.offlineWindow(), NOW);
        assertTrue(devices.commit(before, result.state(), status, Set.of(), List.of(), Map.of(), NOW));
        List<ReceivedSyncEvent> late = java.util.Arrays.stream(events)
                .filter(e -> before.state().mayHaveApplied(e.orderKey())).toList();
        List<ReceivedSyncEvent> newer = java.util.Arrays.stream(events).filter(e -> !late.contains(e)).toList();
        if (!newer.isEmpty()) {
            history.putNewest(List.of(newer), before.site());
        }
        history.putAll(late, before.site());
    }

    static ReceivedSyncEvent event(String deviceId, String eventId, Instant timestamp, Instant receivedAt, long files,
            long errors, double speed) {
        return new ReceivedSyncEvent(new SyncEvent(deviceId, eventId, timestamp, null, files, errors, speed,
                errors > 0 ? "NET_TIMEOUT" : null, null, null, null), receivedAt);
    }

    static ReceivedSyncEvent success(String deviceId, String eventId, Instant at) {
        return event(deviceId, eventId, at, at, 1, 0, 10);
    }

    static ReceivedSyncEvent failure(String deviceId, String eventId, Instant at) {
        return event(deviceId, eventId, at, at, 0, 2, 1);
    }
}
