package com.pisync.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.alerts.AlertOutbox;
import com.pisync.aws.alerts.AlertPublisher;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.PendingAlerts;
import com.pisync.aws.observability.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The scheduled sweeper (an EventBridge rule invokes it every 15 minutes). Reads nothing from the event but
 * its {@code time}, which is the "now" the statuses are computed for (the clock when absent), runs one bounded
 * {@link OfflineSweep}, then retries the alert transitions no processor run will publish
 * ({@link PendingAlertSweep}), logs one JSON line and returns the summary. A shard that failed fails the
 * invocation (after the summary is logged), so the function's Errors metric shows it; a retry is harmless.
 */
public final class OfflineSweepHandler implements RequestHandler<ScheduledEvent, String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Log LOG = Log.of("sweeper");

    private final OfflineSweep sweep;
    private final PendingAlertSweep pendingAlerts;
    private final long reserveMillis;
    private final Clock clock;

    public OfflineSweepHandler() {
        this(AwsClients.fromEnvironment(), PiSyncConfig.fromEnvironment());
    }

    private OfflineSweepHandler(AwsClients clients, PiSyncConfig config) {
        this(clients.dynamoDb(), clients.sns(), config, Clock.systemUTC());
    }

    public OfflineSweepHandler(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config, Clock clock) {
        this(new OfflineSweep(dynamo, new DeviceStore(dynamo, config.devicesTable()), config, clock),
                pendingAlerts(dynamo, sns, config, clock), clock);
    }

    /** Offline detection only, without retrying unpublished alerts (no SNS): for tests of the offline sweep. */
    public OfflineSweepHandler(DynamoDbClient dynamo, PiSyncConfig config, Clock clock) {
        this(new OfflineSweep(dynamo, new DeviceStore(dynamo, config.devicesTable()), config, clock), null, clock);
    }

    public OfflineSweepHandler(OfflineSweep sweep, PendingAlertSweep pendingAlerts, Clock clock) {
        this.sweep = sweep;
        this.pendingAlerts = pendingAlerts;
        this.reserveMillis = OfflineSweep.Limits.DEFAULTS.reserveMillis();
        this.clock = clock;
    }

    private static PendingAlertSweep pendingAlerts(DynamoDbClient dynamo, SnsClient sns, PiSyncConfig config,
            Clock clock) {
        DeviceStore devices = new DeviceStore(dynamo, config.devicesTable());
        return new PendingAlertSweep(new PendingAlerts(dynamo, config.devicesTable()), devices,
                AlertOutbox.of(devices, dynamo, sns, config, clock));
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        Log log = LOG.forRequest(context);
        Instant now = event != null && event.getTime() != null
                ? Instant.ofEpochMilli(event.getTime().getMillis())
                : clock.instant();
        LongSupplier remaining = context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis;
        SweepResult result = sweep.sweep(now, remaining);
        Map<String, Object> summary = new LinkedHashMap<>(result.fields());
        if (pendingAlerts != null) {
            summary.putAll(pendingAlerts.sweep(now, remaining, reserveMillis).fields());
        }
        if (result.failedShards() > 0) {
            log.write(Log.Level.ERROR, "offline sweep", summary, null);
            throw new IllegalStateException("offline sweep: " + result.failedShards() + " shard(s) failed: "
                    + result.error());
        }
        log.info("offline sweep", summary);
        return JSON.valueToTree(summary).toString();
    }
}
