package com.pisync.local.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.testbed.LocalClients;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code ./pisync redrive} on the persisted queue of a stopped {@code ./pisync local}: SQS's move task takes the
 * DLQ's messages back to the source queue, and they are still there when the queue is opened again.
 */
class RedriveTest {

    private static final String SOURCE = LocalRunner.RESOURCE_PREFIX + "sync-events";
    private static final String DLQ = LocalRunner.RESOURCE_PREFIX + "sync-events-dlq";

    @TempDir
    Path data;

    @Test
    void movesTheParkedMessagesBackWithTheMoveTaskAndTheyStayPersisted() throws Exception {
        // Each step in its own JVM, as on a developer's machine: ElasticMQ's SQL persistence opens once per JVM
        // (a second start in the same JVM times out restoring), and the test JVM may run ./pisync local's own test.
        assertEquals(0, runJava(Parked.class.getName(), data.toString()).exit());
        Run redrive = runJava(Redrive.class.getName(), "--data-dir", data.toString());

        assertEquals(0, redrive.exit(), redrive.out());
        assertTrue(redrive.out().contains("3 message(s) in " + DLQ), redrive.out());
        assertTrue(redrive.out().contains("StartMessageMoveTask"), redrive.out());
        assertTrue(redrive.out().contains("Moved 3 message(s) back to " + SOURCE + "; 0 left in the DLQ."), redrive.out());
        Run after = runJava(Counts.class.getName(), data.toString());
        assertEquals(0, after.exit(), after.out());
        assertTrue(after.out().contains("source=3 dlq=0"), "the moved messages are on the source queue after a restart: "
                + after.out());
    }

    /** The queues as ./pisync local creates them, with three messages parked in the DLQ; then the server stops. */
    static final class Parked {
        public static void main(String[] args) {
            try (PersistentSqs server = PersistentSqs.start(Path.of(args[0]).resolve("sqs"));
                    SqsClient sqs = LocalClients.sqs(server.endpoint())) {
                String dlq = sqs.createQueue(r -> r.queueName(DLQ)).queueUrl();
                String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                sqs.createQueue(r -> r.queueName(SOURCE).attributesWithStrings(Map.of("RedrivePolicy",
                        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}")));
                for (int i = 0; i < 3; i++) {
                    String body = "{\"parked\":" + i + "}";
                    sqs.sendMessage(r -> r.queueUrl(dlq).messageBody(body));
                }
            }
            System.exit(0);
        }
    }

    /** Opens the persisted queue again and prints how many messages each queue holds. */
    static final class Counts {
        public static void main(String[] args) {
            try (PersistentSqs server = PersistentSqs.start(Path.of(args[0]).resolve("sqs"));
                    SqsClient sqs = LocalClients.sqs(server.endpoint())) {
                System.out.println("source=" + waiting(sqs, SOURCE) + " dlq=" + waiting(sqs, DLQ));
            }
            System.exit(0);
        }
    }

    private record Run(int exit, String out) {
    }

    private static Run runJava(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " did not end: " + out);
        }
        return new Run(p.exitValue(), out);
    }

    @Test
    void saysThereIsNothingToDoWhenLocalHasNeverRunThere() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, Redrive.run(data, new PrintStream(printed, true, StandardCharsets.UTF_8)));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("nothing to redrive"));
    }

    private static String waiting(SqsClient sqs, String queue) {
        String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }
}
