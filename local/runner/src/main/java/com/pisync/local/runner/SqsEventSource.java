package com.pisync.local.runner;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping, locally: pollers long-poll the queue, gather up to {@code batchSize}
 * messages for at most the batching window once the first one arrived, invoke the function with them, delete
 * what it did not report in {@code batchItemFailures} and leave the rest to come back after the queue's
 * visibility timeout (the queue's redrive policy parks a message that keeps failing in the DLQ). A function
 * that throws fails the whole batch, as on Lambda.
 */
final class SqsEventSource implements AutoCloseable {

    private final SqsClient sqs;
    private final String queueUrl;
    private final Function<List<Message>, SQSBatchResponse> function;
    private final int batchSize;
    private final Duration window;
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean running = true;

    final AtomicLong invocations = new AtomicLong();
    final AtomicLong messagesDone = new AtomicLong();
    final AtomicLong messagesFailed = new AtomicLong();

    SqsEventSource(SqsClient sqs, String queueUrl, Function<List<Message>, SQSBatchResponse> function, int batchSize,
            Duration window, int concurrency) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batch size must be 1..10000");
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.function = function;
        this.batchSize = batchSize;
        this.window = window;
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(this::poll, "pisync-processor-poller-" + i);
            t.setDaemon(true);
            pollers.add(t);
        }
    }

    SqsEventSource start() {
        pollers.forEach(Thread::start);
        return this;
    }

    private void poll() {
        while (running) {
            try {
                List<Message> batch = gather();
                if (!batch.isEmpty()) {
                    invoke(batch);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("processor poller: " + e);
                sleep(1000);
            }
        }
    }

    /** Long-polls for the first message, then keeps receiving until the batch is full or the window ends. */
    private List<Message> gather() {
        List<Message> batch = new ArrayList<>();
        long windowEnd = 0;
        while (running && batch.size() < batchSize) {
            boolean first = batch.isEmpty();
            int max = Math.min(10, batchSize - batch.size());
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max)
                    .waitTimeSeconds(first ? 1 : 0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (first) {
                if (got.isEmpty()) {
                    continue;
                }
                windowEnd = System.nanoTime() + window.toNanos();
            }
            batch.addAll(got);
            if (System.nanoTime() >= windowEnd) {
                break;
            }
            if (got.isEmpty()) {
                sleep(20);
            }
        }
        return batch;
    }

    private void invoke(List<Message> batch) {
        invocations.incrementAndGet();
        Set<String> failed;
        try {
            SQSBatchResponse response = function.apply(batch);
            failed = response == null || response.getBatchItemFailures() == null ? Set.of()
                    : response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                            .collect(Collectors.toSet());
        } catch (RuntimeException e) {
            System.err.println("processor invocation failed, its " + batch.size() + " messages come back after the"
                    + " visibility timeout: " + e);
            messagesFailed.addAndGet(batch.size());
            return;
        }
        List<Message> done = batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
        messagesFailed.addAndGet(batch.size() - done.size());
        for (int from = 0; from < done.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : done.subList(from, Math.min(done.size(), from + 10))) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
            sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        }
        messagesDone.addAndGet(done.size());
    }

    /** Stops polling; a batch being processed is finished (and deleted) first, up to 30 s. */
    @Override
    public void close() {
        running = false;
        for (Thread t : pollers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
