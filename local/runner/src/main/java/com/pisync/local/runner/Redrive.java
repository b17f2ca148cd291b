package com.pisync.local.runner;

import com.pisync.testbed.DeadLetterRedrive;
import com.pisync.testbed.LocalClients;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * {@code ./pisync redrive}: moves the messages of the local dead-letter queue ({@code pisync-sync-events-dlq})
 * back to {@code pisync-sync-events}, printing progress and counts, with the call operators make on AWS
 * ({@code StartMessageMoveTask}: {@code aws sqs start-message-move-task --source-arn <dlq-arn>}), which ElasticMQ
 * serves too. With {@code ./pisync local} running, the
 * processor picks the messages up at once; without it, the messages wait on the persisted queue for the next
 * start. Exit codes: 0 done (also when there was nothing to move), 1 failure, 2 command-line mistake.
 */
public final class Redrive {

    static final String USAGE = """
            Usage: ./pisync redrive [--data-dir DIR]
              Moves every message of the local dead-letter queue back to the sync-events queue (fix the cause
              first: a message that still fails is parked again after 5 receives).
              --data-dir DIR   the data folder of ./pisync local (default ./.pisync)
            On AWS: aws sqs start-message-move-task --source-arn <DLQ ARN>  (stack output DlqUrl; see docs/reliability.md)
            """;

    private Redrive() {
    }

    public static void main(String[] args) {
        PiSyncLocal.quietLibraries();
        Path data = Path.of(".pisync");
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String a = list.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                System.out.print(USAGE);
                return;
            } else if (a.equals("--data-dir") && i + 1 < list.size()) {
                data = Path.of(list.get(++i));
            } else if (a.startsWith("--data-dir=")) {
                data = Path.of(a.substring("--data-dir=".length()));
            } else {
                System.err.println("pisync redrive: unknown option " + a);
                System.err.print(USAGE);
                System.exit(2);
            }
        }
        try {
            System.exit(run(data.toAbsolutePath().normalize(), System.out));
        } catch (RuntimeException | IOException e) {
            System.err.println("pisync redrive: " + e.getMessage());
            System.exit(1);
        }
    }

    /** @return the exit code */
    static int run(Path data, PrintStream out) throws IOException {
        if (!Files.isDirectory(data.resolve("sqs"))) {
            out.println("No local queue in " + data + " (./pisync local has not run there): nothing to redrive.");
            return 0;
        }
        URI running = PersistentSqs.endpointOf(data.resolve("sqs"));
        Files.createDirectories(data);
        try (FileChannel channel = FileChannel.open(data.resolve("runner.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (running == null) {
                    throw new IllegalStateException("./pisync local is running on " + data + " but its queue endpoint"
                            + " file is missing; restart it");
                }
                out.println("Using the queue of the running ./pisync local (" + running + ").");
                return redrive(running, out, true);
            }
            // Nobody runs on this folder: open its persisted queue ourselves (the lock keeps ./pisync local out).
            try (lock; PersistentSqs sqs = PersistentSqs.start(data.resolve("sqs"))) {
                out.println("./pisync local is not running: moving the messages on its persisted queue; they are"
                        + " processed at its next start.");
                return redrive(sqs.endpoint(), out, false);
            }
        }
    }

    private static int redrive(URI endpoint, PrintStream out, boolean live) {
        try (SqsClient sqs = LocalClients.sqs(endpoint)) {
            String source;
            String dlq;
            try {
                source = sqs.getQueueUrl(r -> r.queueName(LocalRunner.RESOURCE_PREFIX + "sync-events")).queueUrl();
                dlq = sqs.getQueueUrl(r -> r.queueName(LocalRunner.RESOURCE_PREFIX + "sync-events-dlq")).queueUrl();
            } catch (QueueDoesNotExistException e) {
                out.println("The local queues do not exist yet: nothing to redrive.");
                return 0;
            }
            Map<String, String> policy = sqs.getQueueAttributes(r -> r.queueUrl(source)
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributesAsStrings();
            DeadLetterRedrive redrive = new DeadLetterRedrive(sqs, dlq);
            int waiting = redrive.waiting();
            out.println(waiting + " message(s) in " + LocalRunner.RESOURCE_PREFIX + "sync-events-dlq (redrive policy "
                    + policy.getOrDefault("RedrivePolicy", "none") + ").");
            if (waiting == 0) {
                out.println("Nothing to redrive.");
                return 0;
            }
            out.println("Started SQS's message move task (StartMessageMoveTask, as on AWS) …");
            DeadLetterRedrive.Result result = redrive.run(progress -> out.println("  moved " + progress.moved() + " …"));
            out.println("Moved " + result.moved() + " message(s) back to " + LocalRunner.RESOURCE_PREFIX + "sync-events"
                    + "; " + result.leftInDlq() + " left in the DLQ."
                    + (live ? " The running processor takes them now." : ""));
            return 0;
        }
    }
}
