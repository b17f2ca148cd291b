package com.pisync.infra.constructs;

import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The sync-events queue (with its DLQ) and the processor function that drains it. The processor
 * reports partial batch failures, so only the failed messages of a batch are retried; a message
 * that fails {@value #MAX_RECEIVE_COUNT} times moves to the DLQ (alarmed by Monitoring).
 */
public final class Processing extends Construct {

    public static final String HANDLER = "com.pisync.processor.ProcessorHandler::handleRequest";
    public static final Duration PROCESSOR_TIMEOUT = Duration.seconds(30);
    /**
     * Half a vCPU: the processor waits on DynamoDB most of the time (8 devices at once), so halving its memory from
     * 1,024 MB costs it about a third more time per batch and saves about a third of its GB-seconds
     * (docs/performance.md). Cold starts do not matter here: nobody waits on a queue consumer's start.
     */
    public static final int PROCESSOR_MEMORY_MB = 512;
    public static final int MAX_RECEIVE_COUNT = 5;
    public static final int BATCH_SIZE = 100;
    public static final Duration MAX_BATCHING_WINDOW = Duration.seconds(1);
    /** Caps concurrent processor invocations from the queue, which caps DynamoDB write pressure. */
    public static final int MAX_CONCURRENCY = 50;

    private final Queue queue;
    private final Queue deadLetterQueue;
    private final LiveFunction processor;

    public Processing(Construct scope, String id, FunctionFactory functions, Storage storage, Alerts alerts) {
        super(scope, id);

        deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        ServerlessNag.suppress(deadLetterQueue, "Serverless-SQSRedrivePolicy", "This is the dead-letter queue: "
                + "nothing consumes it automatically; operators redrive it (StartMessageMoveTask) after the alarm.");

        // AWS guidance: visibility timeout ≥ 6 × function timeout (+ batching window), so a batch
        // retried by Lambda after throttling is not redelivered while still in flight.
        queue = Queue.Builder.create(this, "SyncEventsQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(Duration.seconds(6 * PROCESSOR_TIMEOUT.toSeconds().longValue()
                        + MAX_BATCHING_WINDOW.toSeconds().longValue()))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetterQueue).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .build();

        processor = functions.create(this, "ProcessorFunction", new FunctionSpec(
                "processor",
                HANDLER,
                "PiSync: stores queued sync events once, updates device state, raises failure-streak alerts",
                PROCESSOR_MEMORY_MB,
                PROCESSOR_TIMEOUT,
                Map.of("ALERTS_TOPIC_ARN", alerts.topic().getTopicArn())));

        // Exactly what ProcessorHandler calls (tables only: it queries no index).
        storage.grantTable(processor.role(), storage.devices(), "dynamodb:GetItem", "dynamodb:UpdateItem");
        // Query: stored keys and streaks; BatchWriteItem: event items; PutItem: upload items, created or joined.
        storage.grantTable(processor.role(), storage.syncEvents(),
                "dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:Query");
        storage.grantTable(processor.role(), storage.alerts(), "dynamodb:PutItem");
        // The device's site profile, for its calendar-aware offline_at (v1.1).
        storage.grantTable(processor.role(), storage.sites(), "dynamodb:GetItem");
        storage.grantTable(processor.role(), storage.syncRequests(), "dynamodb:UpdateItem");
        alerts.grantPublish(processor.role());
        // Site incidents (v1.1): the alert outbox asks whether the device's site is in incident (incidents GetItem)
        // and, for a recovery, whether the alert's opening was filed under one (alerts GetItem).
        storage.grantTable(processor.role(), storage.incidents(), "dynamodb:GetItem");
        storage.grantTable(processor.role(), storage.alerts(), "dynamodb:GetItem");

        // Receive/Delete/ChangeMessageVisibility/GetQueueAttributes/GetQueueUrl are granted by the event source.
        processor.alias().addEventSource(new SqsEventSource(queue, SqsEventSourceProps.builder()
                .batchSize(BATCH_SIZE)
                .maxBatchingWindow(MAX_BATCHING_WINDOW)
                .reportBatchItemFailures(true)
                .maxConcurrency(MAX_CONCURRENCY)
                .build()));
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }

    public LiveFunction processor() {
        return processor;
    }
}
