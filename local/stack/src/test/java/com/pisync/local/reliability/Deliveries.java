package com.pisync.local.reliability;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.pisync.aws.PiSyncConfig;
import com.pisync.local.SettableClock;
import com.pisync.processor.ProcessorHandler;
import com.pisync.testbed.FaultInjector;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.LocalDynamoDb;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.queue.SyncEventMessages;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source with the faults SQS and Lambda allow, driving processor "containers" (each a
 * {@link ProcessorHandler} with its own clients and {@link FaultInjector}) against the real local queue:
 * takes a window of messages off the queue, shuffles them, deals them into batches of random size run by
 * two containers at once, and then deletes the messages some delivery processed and makes the others
 * visible again, moving the clock on by the visibility timeout (what SQS does when it redelivers). On top:
 * duplicate deliveries of a share of the messages (four kinds, below), messages held back to later windows,
 * and crashes of a container mid-batch (after some of its writes, before others: the whole batch then
 * counts as failed, as when a Lambda invocation dies). Seeded; counts what it did.
 */
final class Deliveries implements AutoCloseable {

    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** A message that comes back this often is stuck: fail the test rather than loop. */
    private static final int MAX_RECEIVES = 60;

    /** How SQS or Lambda can deliver a message more than once. */
    enum Duplicate {
        /** The same message twice in one batch. */
        SAME_BATCH,
        /** The same message in two batches processed at the same time (visibility timeout ran out mid-batch). */
        CONCURRENT_BATCHES,
        /** Processed, but the delete was lost: it comes back later. */
        REDELIVERED_AFTER_SUCCESS,
        /** A second copy of the message on the queue (the producer's SendMessageBatch retried). */
        PRODUCER_COPY
    }

    /** One processor "container". */
    static final class Container {
        final FaultInjector faults = new FaultInjector();
        final RequestMeter meter = new RequestMeter();
        /** Transition ids this container published during its current batch (the interceptor runs first). */
        final Set<String> publishedThisBatch = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final DynamoDbClient dynamo;
        final SnsClient sns;
        final ProcessorHandler handler;
        final Random random;

        Container(PiSyncConfig config, LocalDynamoDb dynamoDb, SettableClock clock, long seed) {
            random = new Random(seed);
            dynamo = LocalClients.dynamoDb(dynamoDb.endpoint(), meter, faults);
            ExecutionInterceptor publishLog = new ExecutionInterceptor() {
                @Override
                public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof PublishRequest p) {
                        publishedThisBatch.add(transitionId(p.message()));
                    }
                }
            };
            // interceptors' afterExecution run last to first: the log sees a publish before a crash is thrown
            sns = LocalClients.sns(TestBed.shared().sns().endpoint(), meter, faults, publishLog);
            handler = new ProcessorHandler(dynamo, sns, config, clock);
        }
    }

    private final SqsClient sqs = TestBed.shared().sqs().client();
    private final DeviceStore devices;
    /**
     * Alert transitions a crashed container had published but not yet marked done: the one window where
     * the protocol publishes a transition twice (docs/data-model.md, step 6).
     */
    final Set<String> publishedThenCrashed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final String queueUrl;
    private final SettableClock clock;
    private final Random random;
    final List<Container> containers = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    // what to do
    double duplicateShare;
    double holdBackShare;
    double crashShare;
    int maxWindow = 150;
    /** Called before each batch with its container (e.g. to plan a crash); may be null. */
    java.util.function.BiConsumer<Container, List<Message>> beforeBatch;

    // what was done
    final Map<Duplicate, AtomicLong> duplicates = new HashMap<>();
    final AtomicLong deliveries = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong crashes = new AtomicLong();
    final AtomicLong failedDeliveries = new AtomicLong();
    final AtomicLong heldBack = new AtomicLong();
    long windows;
    long redeliveryRounds;
    int maxReceiveCount;

    Deliveries(PiSyncConfig config, LocalDynamoDb dynamoDb, SettableClock clock, long seed) {
        this.queueUrl = config.syncEventsQueueUrl();
        this.devices = new DeviceStore(dynamoDb.client(), config.devicesTable());
        this.clock = clock;
        this.random = new Random(seed);
        for (int i = 0; i < 2; i++) {
            containers.add(new Container(config, dynamoDb, clock, seed * 31 + i));
        }
        for (Duplicate d : Duplicate.values()) {
            duplicates.put(d, new AtomicLong());
        }
    }

    long duplicatesDelivered() {
        return duplicates.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Delivers until the queue is empty. */
    void drain() {
        while (true) {
            List<Message> window = receive(20 + random.nextInt(Math.max(1, maxWindow - 19)));
            if (window.isEmpty()) {
                return;
            }
            windows++;
            if (deliverWindow(window)) {
                // SQS redelivers failed messages once their visibility timeout is over
                clock.advance(VISIBILITY_TIMEOUT.plusSeconds(1));
                redeliveryRounds++;
            }
        }
    }

    private List<Message> receive(int max) {
        List<Message> all = new ArrayList<>();
        while (all.size() < max) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, max - all.size()))
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (got.isEmpty()) {
                break;
            }
            all.addAll(got);
        }
        for (Message m : all) {
            int count = Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
            maxReceiveCount = Math.max(maxReceiveCount, count);
            if (count > MAX_RECEIVES) {
                throw new AssertionError("message " + m.messageId() + " received " + count + " times: stuck. Body: " + m.body());
            }
        }
        return all;
    }

    /** @return true when some message failed (and so comes back after the visibility timeout) */
    private boolean deliverWindow(List<Message> window) {
        List<Message> messages = new ArrayList<>(window);
        Collections.shuffle(messages, random);
        List<Message> held = new ArrayList<>();
        List<List<Message>> batchList = new ArrayList<>();
        Set<String> keepAfterSuccess = new HashSet<>();
        List<Message> current = new ArrayList<>();
        int size = 1 + random.nextInt(10);
        for (Message m : messages) {
            if (random.nextDouble() < holdBackShare) {
                held.add(m);
                continue;
            }
            current.add(m);
            if (current.size() >= size) {
                batchList.add(current);
                current = new ArrayList<>();
                size = 1 + random.nextInt(10);
            }
        }
        if (!current.isEmpty()) {
            batchList.add(current);
        }
        List<Message> delivered = messages.stream().filter(m -> !held.contains(m)).toList();
        for (Message m : delivered) {
            if (random.nextDouble() >= duplicateShare) {
                continue;
            }
            Duplicate kind = Duplicate.values()[random.nextInt(Duplicate.values().length)];
            if (kind != Duplicate.PRODUCER_COPY) {
                duplicates.get(kind).incrementAndGet();
            }
            switch (kind) {
                case SAME_BATCH -> batchList.stream().filter(b -> b.contains(m)).findFirst().orElseThrow()
                        .add(m);
                case CONCURRENT_BATCHES -> {
                    // into a batch of the other container, which runs at the same time
                    int own = indexOf(batchList, m);
                    List<Integer> others = new ArrayList<>();
                    for (int i = (own + 1) % 2; i < batchList.size(); i += 2) {
                        others.add(i);
                    }
                    if (others.isEmpty()) {
                        batchList.add(new ArrayList<>(List.of(m)));
                    } else {
                        batchList.get(others.get(random.nextInt(others.size()))).add(m);
                    }
                }
                case REDELIVERED_AFTER_SUCCESS -> keepAfterSuccess.add(m.messageId());
                case PRODUCER_COPY -> {
                    if (!m.body().isEmpty()) {
                        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(m.body()));
                        duplicates.get(kind).incrementAndGet();
                    }
                }
            }
        }
        heldBack.addAndGet(held.size());
        // even batches on container 0, odd on container 1; the two run at the same time
        Set<String> succeeded = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Future<?>> runs = new ArrayList<>();
        for (int c = 0; c < containers.size(); c++) {
            Container container = containers.get(c);
            List<List<Message>> mine = new ArrayList<>();
            for (int i = c; i < batchList.size(); i += containers.size()) {
                mine.add(batchList.get(i));
            }
            runs.add(pool.submit(() -> {
                for (List<Message> batch : mine) {
                    succeeded.addAll(deliver(container, batch));
                }
            }));
        }
        for (Future<?> run : runs) {
            try {
                run.get();
            } catch (Exception e) {
                throw new IllegalStateException("a delivery failed unexpectedly", e);
            }
        }
        boolean someFailed = false;
        List<Message> delete = new ArrayList<>();
        List<Message> release = new ArrayList<>();
        for (Message m : window) {
            if (succeeded.contains(m.messageId()) && !keepAfterSuccess.contains(m.messageId())) {
                delete.add(m);
            } else {
                someFailed |= !succeeded.contains(m.messageId()) && !held.contains(m);
                release.add(m);
            }
        }
        for (int from = 0; from < delete.size(); from += 10) {
            List<Message> part = delete.subList(from, Math.min(delete.size(), from + 10));
            sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(java.util.stream.IntStream.range(0, part.size())
                    .mapToObj(i -> software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                            .id(Integer.toString(i)).receiptHandle(part.get(i).receiptHandle()).build()).toList()));
        }
        for (int from = 0; from < release.size(); from += 10) {
            List<Message> part = release.subList(from, Math.min(release.size(), from + 10));
            sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(java.util.stream.IntStream
                    .range(0, part.size()).mapToObj(i -> software.amazon.awssdk.services.sqs.model
                            .ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                            .receiptHandle(part.get(i).receiptHandle()).visibilityTimeout(0).build()).toList()));
        }
        return someFailed;
    }

    private static int indexOf(List<List<Message>> batches, Message m) {
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).contains(m)) {
                return i;
            }
        }
        return -1;
    }

    /** @return ids of the messages this delivery processed */
    private Set<String> deliver(Container container, List<Message> batch) {
        if (beforeBatch != null) {
            beforeBatch.accept(container, batch);
        }
        if (crashShare > 0 && random(container) < crashShare) {
            // die after some of the batch's calls: up to ~5 per device in it
            int calls = (int) (random(container) * 5 * batch.size());
            container.faults.crashAfterCalls("", calls, random(container) < 0.5);
        }
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setAttributes(m.attributesAsStrings());
            r.setEventSource("aws:sqs");
            records.add(r);
        }
        event.setRecords(records);
        batches.incrementAndGet();
        deliveries.addAndGet(batch.size());
        container.publishedThisBatch.clear();
        SQSBatchResponse response = container.handler.handleRequest(event, null);
        boolean crashed = container.faults.crashed();
        container.faults.recover();
        if (crashed) {
            crashes.incrementAndGet();
            notePublishedButNotDone(container, batch);
            failedDeliveries.addAndGet(batch.size());
            return Set.of(); // the invocation died: Lambda deletes nothing
        }
        Set<String> failed = new HashSet<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        Set<String> ok = new HashSet<>();
        for (Message m : batch) {
            if (failed.contains(m.messageId())) {
                failedDeliveries.incrementAndGet();
            } else {
                ok.add(m.messageId());
            }
        }
        return ok;
    }

    private void notePublishedButNotDone(Container container, List<Message> batch) {
        if (container.publishedThisBatch.isEmpty()) {
            return;
        }
        Set<String> deviceIds = new HashSet<>();
        for (Message m : batch) {
            try {
                SyncEventMessages.unpack(m.body()).forEach(e -> deviceIds.add(e.event().deviceId()));
            } catch (RuntimeException poison) {
                // not a sync-events message
            }
        }
        for (String deviceId : deviceIds) {
            for (DeviceRecord.OutboxEntry entry : devices.load(deviceId).outbox()) {
                if (container.publishedThisBatch.contains(entry.transition().id())) {
                    publishedThenCrashed.add(entry.transition().id());
                }
            }
        }
    }

    static String transitionId(String alertMessage) {
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var message = json.readTree(alertMessage);
            if (message.path("default").isTextual()) {
                // published with MessageStructure=json: the machines' JSON is the "default" entry
                message = json.readTree(message.get("default").asText());
            }
            return message.path("transition_id").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double random(Container c) {
        return c.random.nextDouble();
    }

    /** Faults injected by all containers, summed by kind and operation. */
    Map<String, Long> injected() {
        Map<String, Long> all = new java.util.TreeMap<>();
        for (Container c : containers) {
            c.faults.injected().forEach((k, v) -> all.merge(k, v, Long::sum));
        }
        return all;
    }

    Map<String, Long> requests() {
        Map<String, Long> all = new java.util.TreeMap<>();
        for (Container c : containers) {
            c.meter.requests().forEach((k, v) -> all.merge(k, v, Long::sum));
        }
        return all;
    }

    long requests(String operation) {
        return containers.stream().mapToLong(c -> c.meter.requests(operation)).sum();
    }

    String summary() {
        return String.format(java.util.Locale.ROOT,
                "windows %d, batches %d, deliveries %d (failed %d), duplicates delivered %d %s, held back %d, crashes %d,"
                        + " redelivery rounds %d, max receive count %d",
                windows, batches.get(), deliveries.get(), failedDeliveries.get(), duplicatesDelivered(), duplicates,
                heldBack.get(), crashes.get(), redeliveryRounds, maxReceiveCount);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        for (Container c : containers) {
            c.dynamo.close();
            c.sns.close();
        }
    }
}
