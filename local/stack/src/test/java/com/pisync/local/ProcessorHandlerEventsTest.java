package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.pisync.domain.DeviceState;
import org.junit.jupiter.params.ParameterizedTest;

/** The processor fed the sample SQS events under events/processor, as Lambda would deliver them. */
class ProcessorHandlerEventsTest {

    private final Pipeline pipeline = new Pipeline();

    @ParameterizedTest
    @Event(value = "events/processor/sqs-sync-events-batch.json", type = SQSEvent.class)
    void sampleBatchIsRecordedAndOpensTheAlertOfThreeFailures(SQSEvent batch) {
        SQSBatchResponse response = pipeline.stack.process(batch);

        assertEquals(0, response.getBatchItemFailures().size());
        assertEquals(1, pipeline.device("pibook-0042").state().totalSyncs());
        DeviceState failing = pipeline.device("pibox-0007").state();
        assertEquals(3, failing.consecutiveFailures());
        assertNotNull(failing.openAlert());
        assertEquals(1, pipeline.publishedAlerts().size());
        assertEquals(3, pipeline.history("pibox-0007").size());
    }

    @ParameterizedTest
    @Event(value = "events/processor/sqs-batch-with-poison-message.json", type = SQSEvent.class)
    void poisonMessageOfTheSampleIsReportedAlone(SQSEvent batch) {
        SQSBatchResponse response = pipeline.stack.process(batch);

        assertEquals(1, response.getBatchItemFailures().size());
        assertEquals("8f0c6a0e-1b7e-4c57-9b0a-5d1a2f3e4c5d", response.getBatchItemFailures().get(0).getItemIdentifier());
        assertEquals(1, pipeline.device("pibook-0042").state().totalSyncs());
    }
}
