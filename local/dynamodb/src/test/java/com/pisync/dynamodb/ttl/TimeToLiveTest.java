package com.pisync.dynamodb.ttl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import com.pisync.dynamodb.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** Time to Live on a simulated clock: nothing expires by the real date. */
class TimeToLiveTest {

    static Map<String, AttributeValue> item(String id, long expires) {
        return Map.of("id", AttributeValue.fromS(id), "expires", AttributeValue.fromN(Long.toString(expires)));
    }

    @Test
    void expiredItemsAreDeletedOnTheEngineClockWithAServiceRemoveRecord() {
        MutableClock clock = new MutableClock();
        long now = clock.instant().getEpochSecond();
        try (LocalServer local = LocalServer.start(null, clock)) {
            local.createTable("sessions", "id", null);
            String arn = local.dynamo.updateTable(b -> b.tableName("sessions").streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true).streamViewType(StreamViewType.OLD_IMAGE).build())).tableDescription().latestStreamArn();
            local.dynamo.updateTimeToLive(b -> b.tableName("sessions").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            assertEquals("ENABLED", local.dynamo.describeTimeToLive(b -> b.tableName("sessions")).timeToLiveDescription().timeToLiveStatusAsString());
            local.dynamo.putItem(b -> b.tableName("sessions").item(item("soon", now + 60)));
            local.dynamo.putItem(b -> b.tableName("sessions").item(item("later", now + 3600)));
            local.dynamo.putItem(b -> b.tableName("sessions").item(Map.of("id", AttributeValue.fromS("never"),
                    "expires", AttributeValue.fromS("not a number"))));
            local.server.sweepExpiredItems();
            assertEquals(3, local.dynamo.scan(b -> b.tableName("sessions")).count()); // the real date is earlier: nothing expired
            clock.advance(Duration.ofMinutes(2));
            local.server.sweepExpiredItems();
            assertFalse(local.dynamo.getItem(b -> b.tableName("sessions").key(Map.of("id", AttributeValue.fromS("soon")))).hasItem());
            assertTrue(local.dynamo.getItem(b -> b.tableName("sessions").key(Map.of("id", AttributeValue.fromS("later")))).hasItem());
            assertTrue(local.dynamo.getItem(b -> b.tableName("sessions").key(Map.of("id", AttributeValue.fromS("never")))).hasItem());
            String shard = local.streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String it = local.streams.getShardIterator(b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Record> records = local.streams.getRecords(b -> b.shardIterator(it)).records();
            Record removal = records.get(records.size() - 1);
            assertEquals("REMOVE", removal.eventNameAsString());
            assertEquals("Service", removal.userIdentity().type());
            assertEquals("dynamodb.amazonaws.com", removal.userIdentity().principalId());
            assertEquals("soon", removal.dynamodb().oldImage().get("id").s());
            assertTrue(records.get(0).userIdentity() == null);
        }
    }

    @Test
    void itemsAreKeptWhileTtlIsDisabled() {
        MutableClock clock = new MutableClock();
        try (LocalServer local = LocalServer.start(null, clock)) {
            local.createTable("kept", "id", null);
            local.dynamo.putItem(b -> b.tableName("kept").item(item("old", clock.instant().getEpochSecond() - 60)));
            local.server.sweepExpiredItems();
            assertEquals(1, local.dynamo.scan(b -> b.tableName("kept")).count());
        }
    }

    @Test
    void itemsWrittenBeforeTtlWasEnabledExpireToo() {
        MutableClock clock = new MutableClock();
        long now = clock.instant().getEpochSecond();
        try (LocalServer local = LocalServer.start(null, clock)) {
            local.createTable("before", "id", null);
            local.dynamo.putItem(b -> b.tableName("before").item(item("early", now - 10)));
            local.dynamo.updateTimeToLive(b -> b.tableName("before").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            local.server.sweepExpiredItems();
            assertFalse(local.dynamo.getItem(b -> b.tableName("before").key(Map.of("id", AttributeValue.fromS("early")))).hasItem());
        }
    }

    @Test
    void expiriesMoreThanFiveYearsAgoAreLeftAlone() {
        MutableClock clock = new MutableClock();
        long now = clock.instant().getEpochSecond();
        try (LocalServer local = LocalServer.start(null, clock)) {
            local.createTable("ancient", "id", null);
            local.dynamo.updateTimeToLive(b -> b.tableName("ancient").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            local.dynamo.putItem(b -> b.tableName("ancient").item(item("epoch-zero", 1)));
            local.dynamo.putItem(b -> b.tableName("ancient").item(item("last-year", now - 365 * 24 * 3600)));
            local.dynamo.putItem(b -> b.tableName("ancient").item(item("right-now", now)));
            local.server.sweepExpiredItems();
            assertTrue(local.dynamo.getItem(b -> b.tableName("ancient").key(Map.of("id", AttributeValue.fromS("epoch-zero")))).hasItem());
            assertFalse(local.dynamo.getItem(b -> b.tableName("ancient").key(Map.of("id", AttributeValue.fromS("last-year")))).hasItem());
            assertTrue(local.dynamo.getItem(b -> b.tableName("ancient").key(Map.of("id", AttributeValue.fromS("right-now")))).hasItem());
        }
    }
}
