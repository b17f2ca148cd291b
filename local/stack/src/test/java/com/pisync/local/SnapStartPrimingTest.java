package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.aws.http.Cursors;
import com.pisync.ingest.CommandInbox;
import com.pisync.ingest.DeviceAuthenticator;
import com.pisync.ingest.IngestHandler;
import com.pisync.ingest.SyncEventIngest;
import com.pisync.ingest.SyncEventQueue;
import com.pisync.processor.ProcessorHandler;
import com.pisync.query.QueryHandler;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What SnapStart runs before its snapshot (beforeCheckpoint) takes each function's real path against real
 * local servers, and only reads: it runs at every deployment, so it must never write or queue anything.
 */
class SnapStartPrimingTest {

    private final RequestMeter meter = new RequestMeter();
    private final LocalPiSync stack = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3, true, meter);

    @Test
    void ingestPrimingReadsTheInboxAndQueuesNothing() {
        IngestHandler ingest = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.signed(stack.deviceTokens),
                SyncEventQueue.of(stack.sqs, stack.config.syncEventsQueueUrl()),
                CommandInbox.of(new SyncRequestStore(stack.dynamo, stack.config.syncRequestsTable())), stack.clock),
                stack.deviceTokens);
        meter.reset();
        assertTrue(ingest.primeNow());
        assertEquals(Map.of("DynamoDb.Query", 1L), meter.requests());
        assertEquals(0.0, meter.writeUnits());
    }

    @Test
    void queryPrimingReadsAPageAndAnUnknownDevice() {
        QueryHandler query = new QueryHandler(stack.dynamo, stack.config, new Cursors(new byte[32]), stack.clock);
        meter.reset();
        assertTrue(query.primeNow());
        assertTrue(meter.requests("DynamoDb.Query") >= 1, meter.requests().toString());
        assertTrue(meter.requests("DynamoDb.GetItem") >= 1, meter.requests().toString());
        assertEquals(0, meter.totalRequests("Sqs") + meter.totalRequests("Sns"));
        assertEquals(0.0, meter.writeUnits());
    }

    @Test
    void processorPrimingOnlyReadsDevices() {
        ProcessorHandler processor = new ProcessorHandler(stack.dynamo, stack.sns, stack.config, stack.clock);
        meter.reset();
        assertTrue(processor.primeNow());
        assertEquals(Map.of("DynamoDb.GetItem", 8L), meter.requests());
        assertEquals(0.0, meter.writeUnits());
    }

    @Test
    void aHandlerWithoutPrimingSaysSo() {
        IngestHandler unprimed = new IngestHandler(new SyncEventIngest(DeviceAuthenticator.TRUST_BODY,
                SyncEventQueue.of(stack.sqs, stack.config.syncEventsQueueUrl()),
                CommandInbox.of(new SyncRequestStore(stack.dynamo, stack.config.syncRequestsTable())), stack.clock));
        assertFalse(unprimed.primeNow());
    }
}
