package com.pisync.testbed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Moves every message of a dead-letter queue back to its source queue, for queues that have no
 * {@code StartMessageMoveTask} (ElasticMQ): receive up to 10, send their bodies and attributes to the
 * source queue in one SendMessageBatch, delete from the DLQ only those the source queue accepted.
 * At-least-once, like SQS's own move task: a message whose delete fails after it was sent is moved
 * again, and the processor stores its events once anyway. A moved message starts over with a receive
 * count of 0, so it gets the source queue's full number of attempts again.
 */
public final class DeadLetterRedrive {

    /** What a redrive did. */
    public record Result(int moved, int failed, int leftInDlq) {
    }

    private final SqsClient sqs;
    private final String dlqUrl;
    private final String targetUrl;

    public DeadLetterRedrive(SqsClient sqs, String dlqUrl, String targetUrl) {
        this.sqs = sqs;
        this.dlqUrl = dlqUrl;
        this.targetUrl = targetUrl;
    }

    /** Messages waiting in the DLQ (ApproximateNumberOfMessages + NotVisible). */
    public int waiting() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /**
     * Moves what is in the DLQ now (messages dead-lettered while it runs may be moved too).
     *
     * @param progress told the running totals after each batch of up to 10
     */
    public Result run(Consumer<Result> progress) {
        int moved = 0;
        int failed = 0;
        int emptyReceives = 0;
        while (emptyReceives < 2) {
            int wait = emptyReceives == 0 ? 0 : 1;
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(60).waitTimeSeconds(wait)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (got.isEmpty()) {
                emptyReceives++;
                continue;
            }
            emptyReceives = 0;
            List<SendMessageBatchRequestEntry> sends = new ArrayList<>();
            Map<String, Message> byEntry = new HashMap<>();
            for (int i = 0; i < got.size(); i++) {
                Message m = got.get(i);
                String id = Integer.toString(i);
                byEntry.put(id, m);
                sends.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(m.body())
                        .messageAttributes(m.messageAttributes()).build());
            }
            SendMessageBatchResponse sent = sqs.sendMessageBatch(r -> r.queueUrl(targetUrl).entries(sends));
            failed += sent.failed().size();
            List<DeleteMessageBatchRequestEntry> deletes = sent.successful().stream()
                    .map(s -> DeleteMessageBatchRequestEntry.builder().id(s.id())
                            .receiptHandle(byEntry.get(s.id()).receiptHandle()).build())
                    .toList();
            if (!deletes.isEmpty()) {
                sqs.deleteMessageBatch(r -> r.queueUrl(dlqUrl).entries(deletes));
            }
            // a message the source queue refused stays in the DLQ (visible again after 60 s)
            moved += deletes.size();
            if (progress != null) {
                progress.accept(new Result(moved, failed, -1));
            }
        }
        return new Result(moved, failed, waiting());
    }
}
