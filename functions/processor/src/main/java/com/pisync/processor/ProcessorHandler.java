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
import com.pisync.aws.observability.Log;
import com.pisync.aws.observability.Metrics;
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
    /** How long a container trusts a site profile it read (a newer one seen on a device is read at once). */
    private static final java.time.Duration SITE_PROFILES_KEPT = java.time.Duration.ofMinutes(5);

    private static final Log LOG = Log.of("processor");
    /** Failures named in the batch's log line; more are counted, not listed. */
    static final int FAILURES_LISTED = 10;

    private final SyncEventRecorder recorder;
    private final SnapStartPriming priming;
    private final Clock clock;
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
                AlertOutbox.of(devices, dynamo, sns, config, clock),
                new DeviceStateUpdater(config.failureThreshold()),
                com.pisync.aws.dynamodb.SiteCalendars.cached(new com.pisync.aws.dynamodb.SiteStore(dynamo,
                        config.sitesTable()), config.offlineWindow(), SITE_PROFILES_KEPT, clock),
                clock);
        this.clock = clock;
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
        Log log = LOG.forRequest(context);
        List<Map<String, String>> problems = new ArrayList<>();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        // each device's events by message: a message's new events are stored as one upload entry
        Map<String, Map<String, List<ReceivedSyncEvent>>> eventsByDevice = new LinkedHashMap<>();
        Map<String, List<String>> messagesByDevice = new LinkedHashMap<>();
        int queued = 0;
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            List<ReceivedSyncEvent> events;
            try {
                events = SyncEventMessages.unpack(message.getBody());
            } catch (RuntimeException e) {
                problem(problems, "poison message", "message_id", message.getMessageId(), e);
                failed.add(message.getMessageId()); // retried, then parked in the DLQ
                continue;
            }
            if (firstDelivery(message)) {
                queued += events.size();
            }
            for (ReceivedSyncEvent e : events) {
                eventsByDevice.computeIfAbsent(e.event().deviceId(), d -> new LinkedHashMap<>())
                        .computeIfAbsent(message.getMessageId(), m -> new ArrayList<>()).add(e);
                List<String> ids = messagesByDevice.computeIfAbsent(e.event().deviceId(), d -> new ArrayList<>());
                if (!ids.contains(message.getMessageId())) {
                    ids.add(message.getMessageId());
                }
            }
        }
        List<String> devices = new ArrayList<>(eventsByDevice.keySet());
        SyncEventRecorder.Outcome[] outcomes = new SyncEventRecorder.Outcome[devices.size()];
        Throwable[] errors = recordAll(devices, eventsByDevice, outcomes);
        int events = 0;
        int stored = 0;
        int duplicates = 0;
        int opened = 0;
        int failedDevices = 0;
        Instant oldest = null;
        for (int i = 0; i < devices.size(); i++) {
            List<ReceivedSyncEvent> delivered = eventsByDevice.get(devices.get(i)).values().stream()
                    .flatMap(List::stream).toList();
            events += delivered.size();
            if (errors[i] != null) {
                failedDevices++;
                problem(problems, "device not recorded", "device_id", devices.get(i), errors[i]);
                failed.addAll(messagesByDevice.get(devices.get(i)));
                continue;
            }
            stored += outcomes[i].stored();
            duplicates += outcomes[i].duplicates();
            opened += outcomes[i].alertsOpened();
            for (ReceivedSyncEvent e : delivered) {
                oldest = oldest == null || e.receivedAt().isBefore(oldest) ? e.receivedAt() : oldest;
            }
        }
        // One line per batch (never per event) and one EMF document: the business metrics of the batch.
        long lagMillis = oldest == null ? 0 : Math.max(0, clock.millis() - oldest.toEpochMilli());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messages", batch.getRecords().size());
        fields.put("devices", devices.size());
        fields.put("events", events);
        fields.put("events_queued", queued);
        fields.put("stored", stored);
        fields.put("duplicates_dropped", duplicates);
        fields.put("alerts_opened", opened);
        fields.put("failed_messages", failed.size());
        fields.put("failed_devices", failedDevices);
        fields.put("lag_ms", lagMillis);
        if (!problems.isEmpty()) {
            fields.put("failures", problems);
        }
        log.write(failed.isEmpty() ? Log.Level.INFO : Log.Level.WARN, "batch processed", fields, null);
        Metrics metrics = Metrics.of("processor", log)
                .count(Metrics.EVENTS_QUEUED, queued)
                .count(Metrics.EVENTS_STORED, stored)
                .count(Metrics.DUPLICATES_DROPPED, duplicates)
                .count(Metrics.ALERTS_OPENED, opened);
        if (oldest != null) {
            metrics.milliseconds(Metrics.PROCESSING_LAG, lagMillis);
        }
        metrics.flush();
        List<SQSBatchResponse.BatchItemFailure> failures = failed.stream()
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * A message delivered for the first time: its events are counted as queued once (a redelivery, or a redrive
     * from the dead-letter queue, has a receive count above 1). Without the attribute it counts as first.
     */
    static boolean firstDelivery(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        return count == null || "1".equals(count.trim());
    }

    /**
     * Records every device, up to {@link #PARALLEL_DEVICES} at a time: the calling thread and as many workers
     * take the next device from a shared index (a hand-off per worker, not per device — waking a thread per
     * device cost more CPU than recording a one-event device). Returns what each device failed with (null:
     * recorded). Interrupted while waiting, every device counts as failed: SQS delivers the batch again and
     * recording is idempotent, so a device recorded twice is harmless and a device assumed recorded is not.
     */
    private Throwable[] recordAll(List<String> devices,
            Map<String, Map<String, List<ReceivedSyncEvent>>> eventsByDevice,
            SyncEventRecorder.Outcome[] outcomes) {
        int count = devices.size();
        Throwable[] errors = new Throwable[count];
        AtomicInteger next = new AtomicInteger();
        Runnable recordNext = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    outcomes[i] = recorder.recordUploads(devices.get(i),
                            List.copyOf(eventsByDevice.get(devices.get(i)).values()));
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

    /** A failure of the batch, for its one log line (the first {@link #FAILURES_LISTED}). */
    private static void problem(List<Map<String, String>> problems, String what, String key, String subject,
            Throwable cause) {
        if (problems.size() < FAILURES_LISTED) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("what", what);
            p.put(key, subject);
            p.put("error", String.valueOf(cause));
            problems.add(p);
        }
    }
}
