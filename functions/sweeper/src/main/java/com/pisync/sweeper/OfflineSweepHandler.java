package com.pisync.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The scheduled offline detector (an EventBridge rule invokes it every 15 minutes). Reads nothing from
 * the event but its {@code time}, which is the "now" the statuses are computed for (the clock when
 * absent), runs one bounded {@link OfflineSweep}, logs one JSON line and returns the summary. A shard
 * that failed fails the invocation (after the summary is logged), so the function's Errors metric shows
 * it; a retry is harmless.
 */
public final class OfflineSweepHandler implements RequestHandler<ScheduledEvent, String> {

    private final OfflineSweep sweep;
    private final Clock clock;

    public OfflineSweepHandler() {
        this(AwsClients.fromEnvironment().dynamoDb(), PiSyncConfig.fromEnvironment(), Clock.systemUTC());
    }

    public OfflineSweepHandler(DynamoDbClient dynamo, PiSyncConfig config, Clock clock) {
        this(new OfflineSweep(dynamo, new DeviceStore(dynamo, config.devicesTable()), config, clock), clock);
    }

    public OfflineSweepHandler(OfflineSweep sweep, Clock clock) {
        this.sweep = sweep;
        this.clock = clock;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        Instant now = event != null && event.getTime() != null
                ? Instant.ofEpochMilli(event.getTime().getMillis())
                : clock.instant();
        LongSupplier remaining = context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis;
        SweepResult result = sweep.sweep(now, remaining);
        System.out.println(result.toLogLine());
        if (result.failedShards() > 0) {
            throw new IllegalStateException("offline sweep: " + result.failedShards() + " shard(s) failed: "
                    + result.error());
        }
        return result.toJson();
    }
}
