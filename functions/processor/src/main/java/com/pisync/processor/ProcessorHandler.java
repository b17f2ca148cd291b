package com.pisync.processor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.SnapStartPriming;
import com.pisync.aws.alerts.AlertOutbox;
import com.pisync.aws.alerts.AlertPublisher;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.queue.SyncEventMessages;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncUploadParser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The SQS consumer: groups a batch's events by device, records each device's events in one go, and
 * reports only the messages whose device could not be recorded, so SQS retries just those.
 */
public final class ProcessorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Devices of a batch are independent; their DynamoDB round trips overlap on these threads. */
    private static final int PARALLEL_DEVICES = 8;
    private static final String PRIMING_DEVICE = "pisync-snapstart-priming";

    private final SyncEventRecorder recorder;
    private final SnapStartPriming priming;
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL_DEVICES, r -> {
        Thread t = new Thread(r, "device-recorder");
        t.setDaemon(true);
        return t;
    });

    public ProcessorHandler() {
        this(AwsClients.fromEnvironment(), PiSyncConfig.fromEnvironment(), Clock.systemUTC());
    }

    private ProcessorHandler(AwsClients clients, PiSyncConfig config, Clock clock) {
        this(clients.dynamoDb(), clients.sns(), config, clock);
    }

    public ProcessorHandler(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, Clock clock) {
        DeviceStore devices = new DeviceStore(dynamo, config.devicesTable());
        this.recorder = new SyncEventRecorder(
                devices,
                new SyncEventStore(dynamo, config.syncEventsTable(), config.historyRetention()),
                new SyncRequestStore(dynamo, config.syncRequestsTable()),
                new AlertOutbox(devices, new AlertStore(dynamo, config.alertsTable()),
                        new AlertPublisher(sns, config.alertsTopicArn()), clock),
                new DeviceStateUpdater(config.failureThreshold()),
                config.offlineWindow(),
                clock);
        this.priming = SnapStartPriming.register("processor", () -> prime(devices, clock));
    }

    /** Runs what SnapStart runs before its snapshot; false when it failed. */
    public boolean primeNow() {
        return priming.primeNow();
    }

    /**
     * Read-only: a queue message packed and unpacked, a device read (GetItem of a device that does not exist)
     * and the worker threads started. The writes' marshallers are left to the first batch: priming never writes.
     */
    private void prime(DeviceStore devices, Clock clock) {
        Instant now = clock.instant();
        SyncEvent sample = new SyncUploadParser(clock).parse(HttpApi.JSON.createObjectNode()
                .put("device_id", PRIMING_DEVICE).put("timestamp", now.toString()).put("total_files_synced", 3)
                .put("total_errors", 1).put("internet_speed", 2.5)).accepted().get(0);
        List<ReceivedSyncEvent> unpacked = SyncEventMessages.unpack(SyncEventMessages.pack(List.of(sample), now).get(0));
        SnapStartPriming.expect(unpacked.size() == 1, "message round trip");
        List<Future<?>> reads = new ArrayList<>();
        for (int i = 0; i < PARALLEL_DEVICES; i++) {
            reads.add(workers.submit(() -> devices.load(PRIMING_DEVICE)));
        }
        for (Future<?> read : reads) {
            try {
                read.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("priming read failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Map<String, List<ReceivedSyncEvent>> eventsByDevice = new LinkedHashMap<>();
        Map<String, List<String>> messagesByDevice = new LinkedHashMap<>();
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            List<ReceivedSyncEvent> events;
            try {
                events = SyncEventMessages.unpack(message.getBody());
            } catch (RuntimeException e) {
                log("poison message", message.getMessageId(), e);
                failed.add(message.getMessageId()); // retried, then parked in the DLQ
                continue;
            }
            for (ReceivedSyncEvent e : events) {
                eventsByDevice.computeIfAbsent(e.event().deviceId(), d -> new ArrayList<>()).add(e);
                List<String> ids = messagesByDevice.computeIfAbsent(e.event().deviceId(), d -> new ArrayList<>());
                if (!ids.contains(message.getMessageId())) {
                    ids.add(message.getMessageId());
                }
            }
        }
        List<String> devices = new ArrayList<>(eventsByDevice.keySet());
        Throwable[] errors = recordAll(devices, eventsByDevice);
        for (int i = 0; i < devices.size(); i++) {
            if (errors[i] != null) {
                log("device not recorded", devices.get(i), errors[i]);
                failed.addAll(messagesByDevice.get(devices.get(i)));
            }
        }
        List<SQSBatchResponse.BatchItemFailure> failures = failed.stream()
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Records every device, up to {@link #PARALLEL_DEVICES} at a time: the calling thread and as many workers
     * take the next device from a shared index (a hand-off per worker, not per device — waking a thread per
     * device cost more CPU than recording a one-event device). Returns what each device failed with (null:
     * recorded). Interrupted while waiting, every device counts as failed: SQS delivers the batch again and
     * recording is idempotent, so a device recorded twice is harmless and a device assumed recorded is not.
     */
    private Throwable[] recordAll(List<String> devices, Map<String, List<ReceivedSyncEvent>> eventsByDevice) {
        int count = devices.size();
        Throwable[] errors = new Throwable[count];
        AtomicInteger next = new AtomicInteger();
        Runnable recordNext = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    recorder.record(devices.get(i), eventsByDevice.get(devices.get(i)));
                } catch (Throwable e) { // an Error too: its device's messages must come back, not vanish
                    errors[i] = e;
                }
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        for (int h = 1; h < Math.min(PARALLEL_DEVICES, count); h++) {
            helpers.add(workers.submit(recordNext));
        }
        recordNext.run();
        boolean interrupted = false;
        for (Future<?> helper : helpers) {
            try {
                helper.get(); // happens-before: the helper's writes to errors are visible after this
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            } catch (ExecutionException e) {
                // cannot happen: recordNext catches everything
            }
        }
        if (interrupted) {
            Arrays.fill(errors, new InterruptedException("interrupted while devices were being recorded"));
            Thread.currentThread().interrupt();
        }
        return errors;
    }

    private static void log(String what, String subject, Throwable cause) {
        System.err.println("{\"level\":\"WARN\",\"message\":\"" + what + "\",\"subject\":\"" + subject.replace("\"", "'")
                + "\",\"error\":\"" + String.valueOf(cause).replace("\"", "'").replace("\n", " ") + "\"}");
    }
}
