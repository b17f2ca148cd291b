package com.pisync.bench.hotpath;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.queue.SyncEventMessages;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.OrderKey;
import com.pisync.domain.SyncEvent;
import com.pisync.processor.ProcessorHandler;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The processor's own work per SQS batch, network excluded: the real {@link ProcessorHandler} (unpack each message
 * body, group by device, {@code DeviceStateUpdater}, the version-guarded commit's UpdateItem and the history
 * BatchWriteItem requests with their items) against in-memory DynamoDB and SNS clients.
 *
 * <p>The batch is what Lambda hands the processor at the CDK app's batch size: 100 messages, one per device, each
 * with {@link #eventsPerMessage} events newer than the device's last one (the common case: no duplicate read);
 * every tenth event is a failed sync. Every device is registered and has synced before, so each invocation does
 * the same work: one GetItem, one UpdateItem and one BatchWriteItem per device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProcessorBenchmark {

    /** Lambda's batch for the processor (infra Processing.BATCH_SIZE). */
    public static final int MESSAGES = 100;
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Param({"1", "10"})
    public int eventsPerMessage;

    SQSEvent batch;
    ProcessorHandler handler;
    /** The handler's own recorder (package-private in the processor), for {@link #recordInline}. */
    private Object recorder;
    private MethodHandle record;
    final InMemoryClients.Calls calls = new InMemoryClients.Calls();

    /** Events in one batch: the benchmark's score (batches/s) times this is events/s. */
    public int eventsPerBatch() {
        return MESSAGES * eventsPerMessage;
    }

    @Setup(Level.Trial)
    public void setUp() {
        Map<String, Map<String, AttributeValue>> devices = new LinkedHashMap<>();
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        Instant lastSync = NOW.minusSeconds(7200);
        Instant receivedAt = NOW.minusSeconds(60);
        int n = 0;
        for (int d = 0; d < MESSAGES; d++) {
            String deviceId = String.format("pibook-%04d", d);
            devices.put(deviceId, registeredDevice(deviceId, lastSync));
            List<SyncEvent> events = new ArrayList<>();
            for (int e = 0; e < eventsPerMessage; e++, n++) {
                boolean failed = n % 10 == 9;
                events.add(new SyncEvent(deviceId, deviceId + "-e" + e, lastSync.plusSeconds(60L * (e + 1)), null,
                        failed ? 0 : 40 + e, failed ? 3 : 0, 12.5, failed ? "NET_TIMEOUT" : null,
                        failed ? "Upload timed out after 30 s" : null, failed ? 12L : 0L, null));
            }
            for (String body : SyncEventMessages.pack(events, receivedAt)) {
                SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
                m.setMessageId("m-" + deviceId + "-" + messages.size());
                m.setReceiptHandle("rh-" + messages.size());
                m.setBody(body);
                m.setEventSource("aws:sqs");
                m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
                messages.add(m);
            }
        }
        batch = new SQSEvent();
        batch.setRecords(messages);
        PiSyncConfig config = PiSyncConfig.from(Map.of());
        handler = new ProcessorHandler(
                InMemoryClients.dynamoDb(DeviceItems.DEVICE_ID, devices, q -> List.of(), calls),
                InMemoryClients.sns(calls), config, Clock.fixed(NOW, ZoneOffset.UTC));
        try {
            Field field = ProcessorHandler.class.getDeclaredField("recorder");
            field.setAccessible(true);
            recorder = field.get(handler);
            var method = recorder.getClass().getDeclaredMethod("record", String.class, List.class);
            method.setAccessible(true);
            record = MethodHandles.lookup().unreflect(method)
                    .asType(MethodType.methodType(void.class, Object.class, String.class, List.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ProcessorHandler no longer has a recorder with record(String, List)", e);
        }
    }

    /** A registered device whose last sync (a success) was at {@code lastSync}. */
    static Map<String, AttributeValue> registeredDevice(String deviceId, Instant lastSync) {
        String lastKey = OrderKey.of(new SyncEvent(deviceId, deviceId + "-prev", lastSync, null, 10, 0, 10.0, null, null,
                0L, null));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(DeviceItems.DEVICE_ID, AttributeValue.fromS(deviceId));
        item.put(DeviceItems.VERSION, AttributeValue.fromN("42"));
        item.put(DeviceItems.SITE, AttributeValue.fromS("school-nairobi-04"));
        item.put(DeviceItems.NAME, AttributeValue.fromS("PiBook " + deviceId));
        item.put(DeviceItems.TYPE, AttributeValue.fromS("PiBook"));
        item.put(DeviceItems.TOKEN_VERSION, AttributeValue.fromN("1"));
        item.put(DeviceItems.REGISTERED_AT, AttributeValue.fromS("2026-09-01T08:00:00Z"));
        item.put(DeviceItems.STATUS, AttributeValue.fromS("healthy"));
        item.put(DeviceItems.LAST_KEY, AttributeValue.fromS(lastKey));
        item.put(DeviceItems.LAST_ATTEMPT_AT, AttributeValue.fromS(lastSync.toString()));
        item.put(DeviceItems.LAST_STATUS, AttributeValue.fromS("success"));
        item.put(DeviceItems.LAST_SUCCESS_KEY, AttributeValue.fromS(lastKey));
        item.put(DeviceItems.LAST_SYNC_AT, AttributeValue.fromS(lastSync.toString()));
        item.put(DeviceItems.CONSECUTIVE_FAILURES, AttributeValue.fromN("0"));
        item.put(DeviceItems.TOTAL_SYNCS, AttributeValue.fromN("120"));
        item.put(DeviceItems.TOTAL_FAILURES, AttributeValue.fromN("4"));
        item.put(DeviceItems.PENDING_FILES, AttributeValue.fromN("0"));
        item.put(DeviceItems.LAST_SEEN_AT, AttributeValue.fromS(lastSync.toString()));
        return item;
    }

    @Benchmark
    public SQSBatchResponse processBatch() {
        return handler.handleRequest(batch, null);
    }

    /**
     * The same per-device work as {@link #processBatch} on the calling thread: unpack, group by device, record each
     * device in turn. The difference to {@code processBatch} is the cost of handing devices to the handler's worker
     * threads (which exist to overlap DynamoDB round trips, and cost CPU per hand-off).
     */
    @Benchmark
    public int recordInline() throws Throwable {
        Map<String, List<ReceivedSyncEvent>> byDevice = new LinkedHashMap<>();
        for (SQSEvent.SQSMessage m : batch.getRecords()) {
            for (ReceivedSyncEvent e : SyncEventMessages.unpack(m.getBody())) {
                byDevice.computeIfAbsent(e.event().deviceId(), d -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<String, List<ReceivedSyncEvent>> device : byDevice.entrySet()) {
            record.invokeExact(recorder, device.getKey(), device.getValue());
        }
        return byDevice.size();
    }
}
