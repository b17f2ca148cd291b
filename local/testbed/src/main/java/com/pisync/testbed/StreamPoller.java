package com.pisync.testbed;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB Streams event source, for local runs and tests: reads a table's stream (DynamoDB
 * Local serves the Streams API on its own endpoint), hands each shard's new records to a handler as a
 * {@link DynamodbEvent}, and moves past the records the handler did not report failed, as Lambda does
 * with {@code ReportBatchItemFailures}: a reported record and everything after it in its shard come
 * again in the next poll. A handler that throws has its whole batch delivered again. Parent shards are
 * read to the end before their children. Methods are synchronized; use one poller per stream and
 * consumer (positions live in the poller, not in the stream).
 */
public final class StreamPoller {

    /** Lambda's default batch size for DynamoDB streams. */
    public static final int DEFAULT_BATCH_SIZE = 100;
    private static final int EMPTY_PAGES_TO_FOLLOW = 3;
    private static final int STUCK_POLLS = 20;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final Function<DynamodbEvent, StreamsEventResponse> handler;
    private final int batchSize;
    /** Shard id → sequence number of the last record done (null: none yet, start at TRIM_HORIZON). */
    private final Map<String, String> positions = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private Consumer<Map<String, String>> onAdvance = positions -> { };

    /**
     * @param handler e.g. {@code event -> statsHandler.handleRequest(event, null)}
     * @param batchSize most records per invocation (1–1000, the GetRecords limit)
     */
    public StreamPoller(DynamoDbStreamsClient streams, String streamArn,
            Function<DynamodbEvent, StreamsEventResponse> handler, int batchSize) {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("batchSize must be 1..1000, got " + batchSize);
        }
        this.streams = streams;
        this.streamArn = streamArn;
        this.handler = handler;
        this.batchSize = batchSize;
    }

    /** A poller of the table's current stream (the table must have one). */
    public static StreamPoller forTable(DynamoDbClient dynamo, DynamoDbStreamsClient streams, String table,
            Function<DynamodbEvent, StreamsEventResponse> handler, int batchSize) {
        return new StreamPoller(streams, streamArn(dynamo, table), handler, batchSize);
    }

    /**
     * A Streams client for the DynamoDB engine (same endpoint as the tables), built like {@link LocalClients}'
     * clients: URLConnection HTTP client, us-east-1, static credentials, nothing read from the environment.
     */
    public static DynamoDbStreamsClient localStreamsClient(URI endpoint) {
        return DynamoDbStreamsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(LocalClients.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(endpoint)
                .build();
    }

    /** The table's current stream ARN. */
    public static String streamArn(DynamoDbClient dynamo, String table) {
        String arn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream");
        }
        return arn;
    }

    public String streamArn() {
        return streamArn;
    }

    /**
     * For a process that restarts: starts from {@code saved} (shard id → last sequence number done) and hands
     * every move, as a copy of all positions, to {@code onAdvance} before the next delivery, so that after a
     * crash the delivery in progress comes again from its first record.
     */
    public synchronized StreamPoller resume(Map<String, String> saved, Consumer<Map<String, String>> onAdvance) {
        positions.clear();
        positions.putAll(saved);
        this.onAdvance = onAdvance;
        return this;
    }

    /**
     * One round: for each readable shard, reads up to a batch of new records and invokes the handler
     * with them. Returns how many records the handler took (not reported failed).
     */
    public synchronized int pollOnce() {
        return round()[1];
    }

    /**
     * Polls until a round finds no new records. Returns the records handled.
     *
     * @throws IllegalStateException when the handler keeps failing records without taking any
     */
    public synchronized int drain() {
        int total = 0;
        int stuck = 0;
        while (true) {
            int[] round = round();
            if (round[0] == 0) {
                return total;
            }
            total += round[1];
            stuck = round[1] == 0 ? stuck + 1 : 0;
            if (stuck >= STUCK_POLLS) {
                throw new IllegalStateException("the handler took none of " + round[0] + " records in " + stuck
                        + " polls of " + streamArn);
            }
        }
    }

    /** {records delivered, records taken} in one round over the readable shards. */
    private int[] round() {
        int delivered = 0;
        int taken = 0;
        for (Shard shard : readableShards()) {
            List<Record> batch = read(shard.shardId(), positions.get(shard.shardId()), batchSize);
            if (batch.isEmpty()) {
                continue;
            }
            delivered += batch.size();
            StreamsEventResponse response = handler.apply(toEvent(batch, streamArn));
            int ok = firstFailed(batch, response);
            if (ok > 0) {
                positions.put(shard.shardId(), batch.get(ok - 1).dynamodb().sequenceNumber());
                onAdvance.accept(Map.copyOf(positions));
            }
            taken += ok;
        }
        return new int[] {delivered, taken};
    }

    /**
     * Every record of the stream not yet handled, in shard order, without invoking the handler or moving:
     * for tests that deliver records themselves (twice, with other batch boundaries...).
     */
    public synchronized List<DynamodbEvent.DynamodbStreamRecord> peekAll() {
        List<DynamodbEvent.DynamodbStreamRecord> all = new ArrayList<>();
        for (Shard shard : shards()) {
            String after = positions.get(shard.shardId());
            List<Record> page;
            do {
                page = read(shard.shardId(), after, 1000);
                for (Record r : page) {
                    all.add(toRecord(r, streamArn));
                    after = r.dynamodb().sequenceNumber();
                }
            } while (!page.isEmpty());
        }
        return all;
    }

    private List<Shard> shards() {
        List<Shard> all = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            DescribeStreamResponse page = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(from));
            all.addAll(page.streamDescription().shards());
            start = page.streamDescription().lastEvaluatedShardId();
        } while (start != null);
        return all;
    }

    /** Shards not read to their end whose parent (if still listed) has been. */
    private List<Shard> readableShards() {
        List<Shard> all = shards();
        Set<String> listed = new HashSet<>();
        all.forEach(s -> listed.add(s.shardId()));
        List<Shard> readable = new ArrayList<>();
        for (Shard s : all) {
            String parent = s.parentShardId();
            if (!finished.contains(s.shardId()) && (parent == null || !listed.contains(parent) || finished.contains(parent))) {
                readable.add(s);
            }
        }
        return readable;
    }

    /** Up to {@code limit} records of the shard after {@code afterSequence} (from the start when null). */
    private List<Record> read(String shardId, String afterSequence, int limit) {
        String iterator;
        try {
            iterator = iterator(shardId, afterSequence);
        } catch (TrimmedDataAccessException trimmed) {
            iterator = iterator(shardId, null); // the position aged out of the stream: start at the oldest record
        }
        for (int page = 0; iterator != null; page++) {
            String current = iterator;
            GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(current).limit(limit));
            if (!response.records().isEmpty()) {
                return response.records();
            }
            iterator = response.nextShardIterator();
            if (iterator == null) {
                finished.add(shardId); // closed and read to the end
            }
            if (page + 1 >= EMPTY_PAGES_TO_FOLLOW) {
                break;
            }
        }
        return List.of();
    }

    private String iterator(String shardId, String afterSequence) {
        return streams.getShardIterator(r -> {
            r.streamArn(streamArn).shardId(shardId);
            if (afterSequence == null) {
                r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(afterSequence);
            }
        }).shardIterator();
    }

    /** How many records, from the first, the handler took: all but the first reported one and those after it. */
    private static int firstFailed(List<Record> batch, StreamsEventResponse response) {
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return batch.size();
        }
        BigInteger lowest = null;
        for (StreamsEventResponse.BatchItemFailure f : response.getBatchItemFailures()) {
            String id = f.getItemIdentifier();
            if (id == null || id.isEmpty()) {
                return 0; // Lambda treats an empty identifier as a failure of the whole batch
            }
            BigInteger seq = new BigInteger(id);
            lowest = lowest == null || seq.compareTo(lowest) < 0 ? seq : lowest;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (new BigInteger(batch.get(i).dynamodb().sequenceNumber()).compareTo(lowest) >= 0) {
                return i;
            }
        }
        return batch.size();
    }

    /** The Lambda event for these records of a stream. */
    public static DynamodbEvent toEvent(List<Record> records, String streamArn) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records.stream().map(r -> toRecord(r, streamArn)).toList());
        return event;
    }

    /** An SDK stream record as Lambda's event model has it. */
    public static DynamodbEvent.DynamodbStreamRecord toRecord(Record r, String streamArn) {
        DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
        out.setEventID(r.eventID());
        out.setEventName(r.eventNameAsString());
        out.setEventVersion(r.eventVersion());
        out.setEventSource(r.eventSource());
        out.setAwsRegion(r.awsRegion());
        out.setEventSourceARN(streamArn);
        var in = r.dynamodb();
        var record = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
        if (in.approximateCreationDateTime() != null) {
            record.setApproximateCreationDateTime(Date.from(in.approximateCreationDateTime()));
        }
        if (in.hasKeys()) {
            record.setKeys(toLambda(in.keys()));
        }
        if (in.hasNewImage()) {
            record.setNewImage(toLambda(in.newImage()));
        }
        if (in.hasOldImage()) {
            record.setOldImage(toLambda(in.oldImage()));
        }
        record.setSequenceNumber(in.sequenceNumber());
        record.setSizeBytes(in.sizeBytes());
        if (in.streamViewTypeAsString() != null) {
            record.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType
                    .fromValue(in.streamViewTypeAsString()));
        }
        out.setDynamodb(record);
        return out;
    }

    public static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> toLambda(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, toLambda(value)));
        return out;
    }

    public static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue toLambda(AttributeValue v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (v.type()) {
            case S -> out.setS(v.s());
            case N -> out.setN(v.n());
            case B -> out.setB(ByteBuffer.wrap(v.b().asByteArray()));
            case SS -> out.setSS(v.ss());
            case NS -> out.setNS(v.ns());
            case BS -> out.setBS(v.bs().stream().map(SdkBytes::asByteBuffer).toList());
            case M -> out.setM(toLambda(v.m()));
            case L -> out.setL(v.l().stream().map(StreamPoller::toLambda).toList());
            case BOOL -> out.setBOOL(v.bool());
            case NUL -> out.setNULL(Boolean.TRUE);
            default -> throw new IllegalArgumentException("unsupported attribute value: " + v);
        }
        return out;
    }
}
