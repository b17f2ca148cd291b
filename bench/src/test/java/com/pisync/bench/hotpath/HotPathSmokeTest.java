package com.pisync.bench.hotpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The JMH benchmark methods invoked directly a few times: they do the real work and it succeeds. No timings asserted. */
class HotPathSmokeTest {

    @Test
    void processorBenchmarkRecordsEveryEventOfItsBatch() {
        ProcessorBenchmark bench = new ProcessorBenchmark();
        bench.eventsPerMessage = 10;
        bench.setUp();
        for (int i = 0; i < 3; i++) {
            bench.calls.reset();
            SQSBatchResponse response = bench.processBatch();
            assertTrue(response.getBatchItemFailures().isEmpty(), () -> "failures: " + response.getBatchItemFailures());
            // Per device: one commit (UpdateItem), its ten events' upload item (PutItem) and the error entry of the
            // one failed event among them (BatchWriteItem; every tenth event fails).
            assertEquals(ProcessorBenchmark.MESSAGES * (1 + 1 + bench.eventsPerMessage / 10),
                    bench.calls.itemsWritten.sum());
        }
    }

    @Test
    void ingestBenchmarkAcceptsAndQueuesEveryEventOfItsUpload() throws Exception {
        IngestBenchmark bench = new IngestBenchmark();
        bench.eventsPerUpload = 10;
        bench.setUp();
        for (int i = 0; i < 3; i++) {
            bench.calls.reset();
            APIGatewayV2HTTPResponse response = bench.handleUpload();
            assertEquals(202, response.getStatusCode(), response.getBody());
            assertEquals(10, new ObjectMapper().readTree(response.getBody()).path("accepted").size(), response.getBody());
            assertTrue(bench.calls.messagesSent.sum() >= 1);
        }
    }
}
