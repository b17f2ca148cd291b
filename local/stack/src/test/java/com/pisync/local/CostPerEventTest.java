package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Measures what each stored event costs in AWS requests and DynamoDB capacity units, as DynamoDB
 * Local reports them through ReturnConsumedCapacity. Prints the figures and writes them to
 * target/cost-per-event.txt; asserts only that every event was stored and loose ceilings that catch a
 * design regression (no timing is asserted). Devices have reported once before the measured run, as
 * in a running fleet; their first event also creates their index entries.
 */
class CostPerEventTest {

    private static final int DEVICES = 100;

    /** Every device has reported once before the measurement: its item and index entries exist. */
    private static void warmUp(Pipeline pipeline, String prefix) {
        for (int d = 0; d < DEVICES; d++) {
            pipeline.post(SyncPipelineTest.event(prefix + d, 0, false, null, "warm-up-" + d));
        }
        pipeline.drain(100, 1000);
        pipeline.meter.reset();
    }

    @Test
    void oneEventPerUpload() throws IOException {
        Pipeline pipeline = new Pipeline();
        warmUp(pipeline, "cost-");
        int uploadsPerDevice = 5;
        // Devices sync one after another, as in the field: each upload is processed before the next.
        for (int round = 0; round < uploadsPerDevice; round++) {
            for (int d = 0; d < DEVICES; d++) {
                pipeline.post(SyncPipelineTest.event("cost-" + d, round + 1, d % 7 == 0));
            }
        }
        int events = DEVICES * uploadsPerDevice;
        Figures f = measureDrain(pipeline, events, "1 event per upload");
        // 2 WCU for a healthy event; failures add their index entries (errors, failing rank, recent failures)
        assertTrue(f.writeUnitsPerEvent <= 3.0, f.toString());
    }

    @Test
    void tenEventsPerUpload() throws IOException {
        Pipeline pipeline = new Pipeline();
        warmUp(pipeline, "cost10-");
        for (int d = 0; d < DEVICES; d++) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(SyncPipelineTest.event("cost10-" + d, i + 1, i % 4 == 3));
            }
            pipeline.post(SyncPipelineTest.batch(batch));
        }
        Figures f = measureDrain(pipeline, DEVICES * 10, "10 events per upload");
        assertTrue(f.writeUnitsPerEvent <= 1.6, f.toString());
    }

    record Figures(String scenario, int events, double writeUnitsPerEvent, double readUnitsPerEvent,
            double dynamoRequestsPerEvent, double sqsSendRequestsPerEvent, double sqsMessagesPerEvent,
            double snsPublishesPerEvent) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%s: %d events; DynamoDB %.3f WCU + %.3f RCU and %.3f requests per event; "
                            + "SQS SendMessageBatch %.3f and messages %.3f per event; SNS Publish %.4f per event",
                    scenario, events, writeUnitsPerEvent, readUnitsPerEvent, dynamoRequestsPerEvent,
                    sqsSendRequestsPerEvent, sqsMessagesPerEvent, snsPublishesPerEvent);
        }
    }

    private static Figures measureDrain(Pipeline pipeline, int events, String scenario) throws IOException {
        double sends = pipeline.meter.requests("Sqs.SendMessageBatch");
        int messages = Integer.parseInt(pipeline.sqs.getQueueAttributes(r -> r.queueUrl(pipeline.queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
        pipeline.meter.reset();
        assertEquals(0, pipeline.drain(100, 1000));
        // Read the meter before the checks below add their own reads. The drain's SQS calls stand in for
        // Lambda's event source and are not counted as the functions' requests.
        java.util.Map<String, Long> requests = pipeline.meter.requests();
        Figures f = new Figures(scenario, events,
                pipeline.meter.writeUnits() / events,
                pipeline.meter.readUnits() / events,
                (double) pipeline.meter.totalRequests("DynamoDb") / events,
                sends / events,
                (double) messages / events,
                (double) pipeline.meter.requests("Sns.Publish") / events);
        long stored = 0;
        for (int d = 0; d < DEVICES; d++) {
            String device = (scenario.startsWith("10") ? "cost10-" : "cost-") + d;
            stored += pipeline.device(device).state().totalSyncs();
        }
        assertEquals(events + DEVICES, stored, "every event stored once, warm-up included");
        System.out.println("COST " + f + " " + requests);
        Path out = Path.of("target", "cost-per-event.txt");
        Files.writeString(out, f + System.lineSeparator() + "  requests: " + requests
                + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return f;
    }
}
