package com.pisync.stats;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.observability.Log;
import com.pisync.aws.alerts.AlertPublisher;
import com.pisync.aws.dynamodb.AffectedDevices;
import com.pisync.aws.dynamodb.IncidentStore;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.incidents.IncidentMonitor;
import com.pisync.aws.dynamodb.FleetCounterStore;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.aws.stats.RecordCounters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The consumer of the {@code devices} and {@code sync_events} streams: turns a delivery's records into
 * counter updates and adds them to the stats table exactly once. When a delivery is not fully added it
 * reports the delivery's first record (ReportBatchItemFailures), so Lambda retries it from there and
 * the checkpoint skips what the failed attempt already added (see {@link FleetCounterStore}).
 */
public final class StatsHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Log LOG = Log.of("stats");

    private final FleetCounting counting;
    private final FleetCounterStore counters;
    private final IncidentMonitor incidents;
    private final Clock clock;

    public StatsHandler() {
        this(AwsClients.fromEnvironment(), PiSyncConfig.fromEnvironment(), Clock.systemUTC());
    }

    private StatsHandler(AwsClients clients, PiSyncConfig config, Clock clock) {
        this(clients.dynamoDb(), clients.sns(), config, clock);
    }

    /** Counters only, no site incidents. */
    public StatsHandler(DynamoDbClient dynamo, PiSyncConfig config, Clock clock) {
        this(new FleetCounting(config.syncEventsTable(), config.devicesTable()),
                new FleetCounterStore(dynamo, config.statsTable()), null, clock);
    }

    /** Counters, and site incidents evaluated right after a delivery changed a site's status counters. */
    public StatsHandler(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, Clock clock) {
        this(new FleetCounting(config.syncEventsTable(), config.devicesTable()),
                new FleetCounterStore(dynamo, config.statsTable()),
                new IncidentMonitor(new IncidentStore(dynamo, config.incidentsTable()),
                        new SiteStore(dynamo, config.sitesTable()), new FleetStatsStore(dynamo, config.statsTable()),
                        new AffectedDevices(dynamo, config.devicesTable()),
                        new AlertPublisher(sns, config.alertsTopicArn(), config.dashboardUrl())),
                clock);
    }

    public StatsHandler(FleetCounting counting, FleetCounterStore counters, Clock clock) {
        this(counting, counters, null, clock);
    }

    /** @param incidents null: no site incidents */
    public StatsHandler(FleetCounting counting, FleetCounterStore counters, IncidentMonitor incidents, Clock clock) {
        this.counting = counting;
        this.counters = counters;
        this.incidents = incidents;
        this.clock = clock;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        try (Log.Scope bound = Log.bind(context == null ? null : context.getAwsRequestId())) {
            return count(event);
        }
    }

    private StreamsEventResponse count(DynamodbEvent event) {
        Instant now = clock.instant();
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (List<DynamodbStreamRecord> delivery : byStream(event.getRecords())) {
            String id = FleetCounting.deliveryId(delivery.get(0));
            String shard = FleetCounting.counterShard(id);
            List<RecordCounters> records = delivery.stream().map(r -> countOrSkip(r, shard, now)).toList();
            try {
                counters.apply(id, records, now);
                if (incidents != null) {
                    // Right after the site's status counters changed (also when a retry finds them applied already:
                    // the evaluation reads the state, so repeating it repeats no transition).
                    incidents.evaluate(IncidentTriggers.of(delivery, counting), now);
                }
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
        LOG.warn(what, java.util.Map.of("subject", String.valueOf(subject)), cause);
    }
}
