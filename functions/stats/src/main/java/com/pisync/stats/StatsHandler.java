package com.pisync.stats;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.stats.FleetCounterStore;
import com.pisync.aws.stats.RecordCounters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The consumer of the {@code devices} and {@code sync_events} streams: turns a delivery's records into
 * counter updates and adds them to the stats table exactly once. When a delivery is not fully added it
 * reports the delivery's first record (ReportBatchItemFailures), so Lambda retries it from there and
 * the checkpoint skips what the failed attempt already added (see {@link FleetCounterStore}).
 */
public final class StatsHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final FleetCounting counting;
    private final FleetCounterStore counters;
    private final Clock clock;

    public StatsHandler() {
        this(AwsClients.fromEnvironment().dynamoDb(), PiSyncConfig.fromEnvironment(), Clock.systemUTC());
    }

    public StatsHandler(DynamoDbClient dynamo, PiSyncConfig config, Clock clock) {
        this(new FleetCounting(config.syncEventsTable(), config.devicesTable()),
                new FleetCounterStore(dynamo, config.statsTable()), clock);
    }

    public StatsHandler(FleetCounting counting, FleetCounterStore counters, Clock clock) {
        this.counting = counting;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        Instant now = clock.instant();
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (List<DynamodbStreamRecord> delivery : byStream(event.getRecords())) {
            String id = FleetCounting.deliveryId(delivery.get(0));
            String shard = FleetCounting.counterShard(id);
            List<RecordCounters> records = delivery.stream().map(r -> countOrSkip(r, shard, now)).toList();
            try {
                counters.apply(id, records, now);
            } catch (RuntimeException e) {
                // Retried from the delivery's first record, whose checkpoint knows what was already added.
                String first = delivery.get(0).getDynamodb().getSequenceNumber();
                log("delivery not fully counted, retried from its first record " + first, id, e);
                failures.add(new StreamsEventResponse.BatchItemFailure(first));
            }
        }
        return new StreamsEventResponse(failures);
    }

    /** A record the counting cannot read would block its shard for good: it is logged and counts nothing. */
    private RecordCounters countOrSkip(DynamodbStreamRecord record, String shard, Instant now) {
        try {
            return counting.count(record, shard, now);
        } catch (IllegalArgumentException e) {
            log("unreadable record skipped", record.getEventSourceARN() + " " + record.getEventID(), e);
            return RecordCounters.none(record.getDynamodb().getSequenceNumber());
        }
    }

    /** Lambda sends one stream shard per invocation; a mixed event is split into runs of one stream. */
    private static List<List<DynamodbStreamRecord>> byStream(List<DynamodbStreamRecord> records) {
        List<List<DynamodbStreamRecord>> runs = new ArrayList<>();
        for (DynamodbStreamRecord r : records == null ? List.<DynamodbStreamRecord>of() : records) {
            List<DynamodbStreamRecord> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last == null || !Objects.equals(last.get(0).getEventSourceARN(), r.getEventSourceARN())) {
                last = new ArrayList<>();
                runs.add(last);
            }
            last.add(r);
        }
        return runs;
    }

    private static void log(String what, String subject, Throwable cause) {
        System.err.println("{\"level\":\"WARN\",\"message\":\"" + what + "\",\"subject\":\"" + String.valueOf(subject)
                .replace("\"", "'") + "\",\"error\":\"" + String.valueOf(cause).replace("\"", "'").replace("\n", " ") + "\"}");
    }
}
