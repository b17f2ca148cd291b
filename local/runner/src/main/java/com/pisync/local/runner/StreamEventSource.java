package com.pisync.local.runner;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.StreamPoller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB Streams event source for a process that restarts: like {@link StreamPoller} (batches of
 * a shard's new records, moving past what the function did not report failed, parents before children), but
 * its position in every shard is kept in a file, written after each delivery the function took. DynamoDB
 * Local keeps the stream across restarts, so after a crash the delivery in progress comes again from the same
 * first record, which is what the stats function's checkpoint needs to count it exactly once.
 */
final class StreamEventSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EMPTY_PAGES_TO_FOLLOW = 3;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final Function<DynamodbEvent, StreamsEventResponse> function;
    private final int batchSize;
    private final Path positionsFile;
    /** Shard id → sequence number of the last record done. */
    private final Map<String, String> positions;
    private final Set<String> finished = new HashSet<>();

    StreamEventSource(DynamoDbStreamsClient streams, String streamArn, Function<DynamodbEvent, StreamsEventResponse> function,
            int batchSize, Path positionsFile) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.function = function;
        this.batchSize = batchSize;
        this.positionsFile = positionsFile;
        this.positions = load(positionsFile, streamArn);
    }

    /** Delivers every new record, batch by batch; returns how many the function took. */
    synchronized int drain() {
        int total = 0;
        for (int round = 0; round < 1000; round++) {
            int delivered = 0;
            int taken = 0;
            for (Shard shard : readableShards()) {
                List<Record> batch = read(shard.shardId(), positions.get(shard.shardId()));
                if (batch.isEmpty()) {
                    continue;
                }
                delivered += batch.size();
                StreamsEventResponse response;
                try {
                    response = function.apply(StreamPoller.toEvent(batch, streamArn));
                } catch (RuntimeException e) {
                    System.err.println("stats invocation failed, retried from the same record: " + e);
                    continue;
                }
                int ok = firstFailed(batch, response);
                if (ok > 0) {
                    positions.put(shard.shardId(), batch.get(ok - 1).dynamodb().sequenceNumber());
                    save();
                }
                taken += ok;
            }
            total += taken;
            if (delivered == 0 || taken == 0) {
                return total;
            }
        }
        return total;
    }

    private List<Shard> shards() {
        List<Shard> all = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            var page = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(from)).streamDescription();
            all.addAll(page.shards());
            start = page.lastEvaluatedShardId();
        } while (start != null);
        return all;
    }

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

    private List<Record> read(String shardId, String afterSequence) {
        String iterator;
        try {
            iterator = iterator(shardId, afterSequence);
        } catch (TrimmedDataAccessException trimmed) {
            iterator = iterator(shardId, null); // our position aged out of the stream: start at the oldest record
        }
        for (int page = 0; iterator != null && page < EMPTY_PAGES_TO_FOLLOW; page++) {
            String current = iterator;
            var response = streams.getRecords(r -> r.shardIterator(current).limit(batchSize));
            if (!response.records().isEmpty()) {
                return response.records();
            }
            iterator = response.nextShardIterator();
            if (iterator == null) {
                finished.add(shardId);
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

    /** How many records, from the first, the function took (Lambda's ReportBatchItemFailures rule). */
    private static int firstFailed(List<Record> batch, StreamsEventResponse response) {
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return batch.size();
        }
        TreeSet<BigInteger> failed = new TreeSet<>();
        for (StreamsEventResponse.BatchItemFailure f : response.getBatchItemFailures()) {
            String id = f.getItemIdentifier();
            if (id == null || id.isEmpty()) {
                return 0;
            }
            failed.add(new BigInteger(id));
        }
        for (int i = 0; i < batch.size(); i++) {
            if (new BigInteger(batch.get(i).dynamodb().sequenceNumber()).compareTo(failed.first()) >= 0) {
                return i;
            }
        }
        return batch.size();
    }

    private void save() {
        try {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("stream_arn", streamArn);
            all.put("positions", positions);
            Path tmp = positionsFile.resolveSibling(positionsFile.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(all));
            Files.move(tmp, positionsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save stream positions to " + positionsFile, e);
        }
    }

    private static Map<String, String> load(Path file, String streamArn) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                return new LinkedHashMap<>();
            }
            Map<String, Object> all = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
            if (!streamArn.equals(all.get("stream_arn"))) {
                return new LinkedHashMap<>(); // the table was made anew: its new stream starts from the beginning
            }
            Map<String, String> positions = new LinkedHashMap<>();
            if (all.get("positions") instanceof Map<?, ?> saved) {
                saved.forEach((k, v) -> positions.put(String.valueOf(k), String.valueOf(v)));
            }
            return positions;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read stream positions from " + file, e);
        }
    }
}
