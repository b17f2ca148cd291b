package com.pisync.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.aws.stats.FleetStats;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.testbed.TestBed;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The stats function fed the sample stream event under events/stats, as Lambda would deliver it. */
class StatsHandlerEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");

    @ParameterizedTest
    @Event(value = "events/stats/dynamodb-stream-sync-events.json", type = DynamodbEvent.class)
    void sampleInsertsAreCountedInTheFleetAndTheirSitesOnce(DynamodbEvent event) {
        DynamoDbClient dynamo = TestBed.shared().dynamoDb().client();
        PiSyncConfig config = PiSyncConfig.from(Map.of())
                .withResources("t" + UUID.randomUUID().toString().substring(0, 8) + "-", null, null);
        Tables.createIfMissing(dynamo, config, false); // fixed clock: no TTL
        StatsHandler handler = new StatsHandler(dynamo, config, Clock.fixed(NOW, ZoneOffset.UTC));
        FleetStatsStore stats = new FleetStatsStore(dynamo, config.statsTable());

        assertTrue(handler.handleRequest(event, null).getBatchItemFailures().isEmpty());
        assertTrue(handler.handleRequest(event, null).getBatchItemFailures().isEmpty(), "delivered again");

        FleetStats fleet = stats.read(null, NOW);
        assertEquals(new FleetStats.Last24h(2, 1, 42, 6.45), fleet.last24h());
        assertEquals(new FleetStats.Day(LocalDate.parse("2026-11-01"), 2, 1, 42), fleet.daily().get(29));
        assertEquals(new FleetStats.Last24h(1, 0, 42, 12.5), stats.read("lincoln-elementary", NOW).last24h());
        assertEquals(new FleetStats.Last24h(1, 1, 0, 0.4), stats.read("roosevelt-high", NOW).last24h());
    }
}
