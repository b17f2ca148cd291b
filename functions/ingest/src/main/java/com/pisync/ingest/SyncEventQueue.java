package com.pisync.ingest;

import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where ingest hands accepted events to the processor: message bodies packed by
 * {@code SyncEventMessages}. On AWS, the sync-events SQS queue ({@link #of}).
 */
public interface SyncEventQueue {

    /**
     * Queues every body, or throws.
     *
     * @throws com.pisync.aws.http.ApiProblem 503 when the queue would not take every message; the device
     *     retries the upload
     */
    void send(List<String> bodies);

    static SyncEventQueue of(SqsClient sqs, String queueUrl) {
        return new SqsSyncEventQueue(sqs, queueUrl);
    }
}
