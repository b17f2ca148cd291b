package com.pisync.testbed;

import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moves every message of a dead-letter queue back to the queue that parked it with SQS's own move task
 * ({@code StartMessageMoveTask}, then {@code ListMessageMoveTasks} until it ends): the call operators make on AWS
 * ({@code aws sqs start-message-move-task --source-arn <DLQ ARN>}), which ElasticMQ serves too. At-least-once, as
 * on SQS: the processor stores a moved message's events once however often it arrives. A moved message starts
 * over with a receive count of 0, so it gets the source queue's full number of attempts again.
 */
public final class DeadLetterRedrive {

    /** What a redrive did: messages moved, messages the task failed to move, messages left in the DLQ. */
    public record Result(int moved, int failed, int leftInDlq) {
    }

    private static final long POLL_MILLIS = 500;

    private final SqsClient sqs;
    private final String dlqUrl;

    public DeadLetterRedrive(SqsClient sqs, String dlqUrl) {
        this.sqs = sqs;
        this.dlqUrl = dlqUrl;
    }

    /** Messages waiting in the DLQ (ApproximateNumberOfMessages + NotVisible). */
    public int waiting() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /**
     * Moves what is in the DLQ now back to its source queue (the one whose redrive policy names it).
     *
     * @param progress told the running totals whenever the task reports more moved
     * @throws IllegalStateException when the move task fails, with SQS's reason
     */
    public Result run(Consumer<Result> progress) {
        if (waiting() == 0) {
            return new Result(0, 0, 0);
        }
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(dlqArn)).taskHandle();
        int reported = -1;
        while (true) {
            ListMessageMoveTasksResultEntry task = sqs.listMessageMoveTasks(r -> r.sourceArn(dlqArn)).results().stream()
                    .filter(t -> handle.equals(t.taskHandle())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the move task " + handle + " of " + dlqArn
                            + " is not listed any more; check the queues and run the redrive again"));
            int moved = task.approximateNumberOfMessagesMoved() == null ? 0
                    : Math.toIntExact(task.approximateNumberOfMessagesMoved());
            if (progress != null && moved != reported) {
                reported = moved;
                progress.accept(new Result(moved, 0, -1));
            }
            switch (task.status()) {
                case "COMPLETED" -> {
                    return new Result(moved, 0, waiting());
                }
                case "FAILED", "CANCELLED" -> throw new IllegalStateException("the move task " + task.status()
                        .toLowerCase(java.util.Locale.ROOT) + " after moving " + moved + " message(s)"
                        + (task.failureReason() == null ? "" : ": " + task.failureReason())
                        + "; fix the cause and run the redrive again");
                default -> pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the move task runs; it goes on in the queue", e);
        }
    }
}
