package com.pisync.dynamodb.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import com.pisync.dynamodb.MutableClock;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;

/** DynamoDB Streams through the SDK's DynamoDbStreamsClient. */
class StreamsTest {

    @TempDir
    Path dir;

    static Map<String, AttributeValue> item(String pk, String v) {
        return Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(v));
    }

    private static String enableStream(LocalServer local, String table, StreamViewType view) {
        local.createTable(table, "pk", null);
        TableDescription d = local.dynamo.updateTable(b -> b.tableName(table).streamSpecification(
                StreamSpecification.builder().streamEnabled(true).streamViewType(view).build())).tableDescription();
        assertNotNull(d.latestStreamArn());
        return d.latestStreamArn();
    }

    private static String iterator(LocalServer local, String arn, ShardIteratorType type, String seq) {
        StreamDescription d = local.streams.describeStream(b -> b.streamArn(arn)).streamDescription();
        Shard shard = d.shards().get(0);
        assertTrue(shard.shardId().matches("shardId-\\d{20}-[0-9a-f]{8}"), shard.shardId());
        return local.streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId()).shardIteratorType(type)
                .sequenceNumber(seq)).shardIterator();
    }

    @Test
    void insertsModifiesAndRemovesAreRecordedInOrderWithImages() {
        MutableClock clock = new MutableClock();
        try (LocalServer local = LocalServer.start(null, clock)) {
            String arn = enableStream(local, "tab", StreamViewType.NEW_AND_OLD_IMAGES);
            local.dynamo.putItem(b -> b.tableName("tab").item(item("a", "1")));
            local.dynamo.putItem(b -> b.tableName("tab").item(item("a", "2")));
            local.dynamo.putItem(b -> b.tableName("tab").item(item("a", "2"))); // no change: no record
            local.dynamo.deleteItem(b -> b.tableName("tab").key(Map.of("pk", AttributeValue.fromS("a"))));
            local.dynamo.deleteItem(b -> b.tableName("tab").key(Map.of("pk", AttributeValue.fromS("a")))); // nothing to delete
            GetRecordsResponse r = local.streams.getRecords(b -> b.shardIterator(iterator(local, arn, ShardIteratorType.TRIM_HORIZON, null)));
            List<Record> records = r.records();
            assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), records.stream().map(Record::eventNameAsString).toList());
            assertEquals("1", records.get(1).dynamodb().oldImage().get("v").s());
            assertEquals("2", records.get(1).dynamodb().newImage().get("v").s());
            assertEquals(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("a")).keySet(),
                    records.get(2).dynamodb().keys().keySet());
            assertFalse(records.get(2).dynamodb().hasNewImage());
            BigInteger previous = BigInteger.ZERO;
            for (Record rec : records) {
                String seq = rec.dynamodb().sequenceNumber();
                assertTrue(seq.length() >= 21, seq);
                assertTrue(new BigInteger(seq).compareTo(previous) > 0);
                previous = new BigInteger(seq);
                assertEquals("aws:dynamodb", rec.eventSource());
                assertTrue(rec.dynamodb().sizeBytes() > 0);
            }
            assertNotNull(r.nextShardIterator());
        }
    }

    @Test
    void keysOnlyStreamsCarryNoImagesAndIteratorsStartWhereAsked() {
        try (LocalServer local = LocalServer.inMemory()) {
            String arn = enableStream(local, "keys", StreamViewType.KEYS_ONLY);
            local.dynamo.putItem(b -> b.tableName("keys").item(item("a", "1")));
            String latest = iterator(local, arn, ShardIteratorType.LATEST, null);
            local.dynamo.putItem(b -> b.tableName("keys").item(item("b", "1")));
            List<Record> fromLatest = local.streams.getRecords(b -> b.shardIterator(latest)).records();
            assertEquals(1, fromLatest.size());
            assertEquals("b", fromLatest.get(0).dynamodb().keys().get("pk").s());
            assertFalse(fromLatest.get(0).dynamodb().hasNewImage());
            String seq = fromLatest.get(0).dynamodb().sequenceNumber();
            List<Record> at = local.streams.getRecords(b -> b.shardIterator(iterator(local, arn, ShardIteratorType.AT_SEQUENCE_NUMBER, seq))).records();
            assertEquals(seq, at.get(0).dynamodb().sequenceNumber());
            List<Record> after = local.streams.getRecords(b -> b.shardIterator(iterator(local, arn, ShardIteratorType.AFTER_SEQUENCE_NUMBER, seq))).records();
            assertTrue(after.isEmpty());
            List<Record> limited = local.streams.getRecords(b -> b.shardIterator(iterator(local, arn, ShardIteratorType.TRIM_HORIZON, null)).limit(1)).records();
            assertEquals(1, limited.size());
        }
    }

    @Test
    void iteratorsExpireAfterFifteenMinutesOfEngineTime() {
        MutableClock clock = new MutableClock();
        try (LocalServer local = LocalServer.start(null, clock)) {
            String arn = enableStream(local, "expiry", StreamViewType.NEW_IMAGE);
            String it = iterator(local, arn, ShardIteratorType.TRIM_HORIZON, null);
            clock.advance(Duration.ofMinutes(16));
            assertThrows(ExpiredIteratorException.class, () -> local.streams.getRecords(b -> b.shardIterator(it)));
        }
    }

    @Test
    void recordsOlderThan24HoursAreGone() {
        MutableClock clock = new MutableClock();
        try (LocalServer local = LocalServer.start(null, clock)) {
            String arn = enableStream(local, "aged", StreamViewType.NEW_IMAGE);
            local.dynamo.putItem(b -> b.tableName("aged").item(item("a", "1")));
            clock.advance(Duration.ofHours(25));
            local.dynamo.putItem(b -> b.tableName("aged").item(item("b", "1")));
            List<Record> records = local.streams.getRecords(b -> b.shardIterator(iterator(local, arn, ShardIteratorType.TRIM_HORIZON, null))).records();
            assertEquals(1, records.size());
            assertEquals("b", records.get(0).dynamodb().keys().get("pk").s());
        }
    }

    @Test
    void disablingClosesTheShardAndReenablingStartsANewStream() {
        MutableClock clock = new MutableClock();
        try (LocalServer local = LocalServer.start(null, clock)) {
            String first = enableStream(local, "dis", StreamViewType.NEW_IMAGE);
            local.dynamo.putItem(b -> b.tableName("dis").item(item("a", "1")));
            local.dynamo.updateTable(b -> b.tableName("dis").streamSpecification(StreamSpecification.builder().streamEnabled(false).build()));
            local.dynamo.putItem(b -> b.tableName("dis").item(item("b", "1")));
            StreamDescription d = local.streams.describeStream(b -> b.streamArn(first)).streamDescription();
            assertEquals("DISABLED", d.streamStatusAsString());
            assertNotNull(d.shards().get(0).sequenceNumberRange().endingSequenceNumber());
            GetRecordsResponse r = local.streams.getRecords(b -> b.shardIterator(iterator(local, first, ShardIteratorType.TRIM_HORIZON, null)));
            assertEquals(1, r.records().size());
            assertNull(r.nextShardIterator());
            TableDescription t = local.dynamo.updateTable(b -> b.tableName("dis").streamSpecification(
                    StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY).build())).tableDescription();
            assertFalse(first.equals(t.latestStreamArn()));
            assertEquals(2, local.streams.listStreams(b -> b.tableName("dis")).streams().size());
        }
    }

    @Test
    void streamRecordsSurviveARestart() {
        MutableClock clock = new MutableClock();
        String arn;
        try (LocalServer local = LocalServer.start(dir, clock)) {
            arn = enableStream(local, "persist", StreamViewType.NEW_IMAGE);
            local.dynamo.putItem(b -> b.tableName("persist").item(item("a", "1")));
        }
        try (LocalServer local = LocalServer.start(dir, clock)) {
            local.dynamo.putItem(b -> b.tableName("persist").item(item("b", "1")));
            List<Record> records = local.streams.getRecords(b -> b.shardIterator(iterator(local, arn, ShardIteratorType.TRIM_HORIZON, null))).records();
            assertEquals(List.of("a", "b"), records.stream().map(x -> x.dynamodb().keys().get("pk").s()).toList());
            assertTrue(new BigInteger(records.get(1).dynamodb().sequenceNumber())
                    .compareTo(new BigInteger(records.get(0).dynamodb().sequenceNumber())) > 0);
        }
    }
}
