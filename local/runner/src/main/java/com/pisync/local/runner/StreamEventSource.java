package com.pisync.local.runner;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.StreamPoller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB Streams event source for a process that restarts: a {@link StreamPoller} whose position in
 * every shard is kept in a file, written after each delivery the function took. The DynamoDB engine keeps the stream
 * across restarts, so after a crash the delivery in progress comes again from the same first record, which is
 * what the stats function's checkpoint needs to count it exactly once. A function that throws has its batch
 * delivered again on the next drain, as Lambda retries a failed stream batch.
 */
final class StreamEventSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamPoller poller;

    StreamEventSource(DynamoDbStreamsClient streams, String streamArn, Function<DynamodbEvent, StreamsEventResponse> function,
            int batchSize, Path positionsFile) {
        this.poller = new StreamPoller(streams, streamArn, event -> invoke(function, event), batchSize)
                .resume(load(positionsFile, streamArn), positions -> save(positionsFile, streamArn, positions));
    }

    /** Delivers every new record, batch by batch, until a round takes none; returns how many the function took. */
    int drain() {
        int total = 0;
        for (int taken = poller.pollOnce(); taken > 0; taken = poller.pollOnce()) {
            total += taken;
        }
        return total;
    }

    /** A failed invocation reports the whole batch failed (an empty identifier), so nothing moves. */
    private static StreamsEventResponse invoke(Function<DynamodbEvent, StreamsEventResponse> function, DynamodbEvent event) {
        try {
            return function.apply(event);
        } catch (RuntimeException e) {
            System.err.println("stats invocation failed, retried from the same record: " + e);
            return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("")));
        }
    }

    private static void save(Path file, String streamArn, Map<String, String> positions) {
        try {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("stream_arn", streamArn);
            all.put("positions", positions);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(all));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save stream positions to " + file, e);
        }
    }

    private static Map<String, String> load(Path file, String streamArn) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                return Map.of();
            }
            Map<String, Object> all = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
            if (!streamArn.equals(all.get("stream_arn"))) {
                return Map.of(); // the table was made anew: its new stream starts from the beginning
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
