package com.pisync.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The DynamoDB engine deletes expired items by its own clock, the real one unless told otherwise (as DynamoDB
 * Local did). A stack on a simulated clock in the past must leave
 * TTL off, or counters and history written "now" by its clock vanish while the test reads them (a fault
 * injection run lost 4,000 of 10,722 hourly counts that way); a stack on the real clock expires as AWS does.
 */
class TableExpiryTest {

    @Test
    void ttlIsOnWithTheRealClockAndOffWithASimulatedOne() {
        LocalPiSync real = new LocalPiSync(TestBed.shared(), Clock.systemUTC(), 3);
        LocalPiSync simulated = new LocalPiSync(TestBed.shared(),
                Clock.fixed(Instant.parse("2026-11-01T09:00:00Z"), ZoneOffset.UTC), 3);

        assertEquals(TimeToLiveStatus.ENABLED, ttl(real, real.config.statsTable()));
        assertEquals(TimeToLiveStatus.ENABLED, ttl(real, real.config.syncEventsTable()));
        assertEquals(TimeToLiveStatus.DISABLED, ttl(simulated, simulated.config.statsTable()));
        assertEquals(TimeToLiveStatus.DISABLED, ttl(simulated, simulated.config.syncEventsTable()));
    }

    private static TimeToLiveStatus ttl(LocalPiSync stack, String table) {
        return stack.dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription().timeToLiveStatus();
    }
}
