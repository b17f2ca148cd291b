package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import com.pisync.infra.constructs.FunctionFactory.FunctionSpec;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.constructs.Construct;

/**
 * The offline sweep: an EventBridge rule runs it every {@link #RATE}; it reads the sharded
 * {@code offline_due} index of devices and marks the silent ones offline. Reserved concurrency 1:
 * two sweeps never overlap (a late one waits in Lambda's async queue), and it cannot take capacity from
 * the API functions.
 */
public final class Sweeper extends Construct {

    public static final String HANDLER = "com.pisync.sweeper.OfflineSweepHandler::handleRequest";
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.minutes(5);
    public static final Duration RATE = Duration.minutes(15);
    public static final int RESERVED_CONCURRENCY = 1;

    private final LiveFunction sweeper;
    private final Rule schedule;

    public Sweeper(Construct scope, String id, StageConfig config, FunctionFactory functions, Storage storage,
            Alerts alerts) {
        super(scope, id);

        sweeper = functions.create(this, "SweeperFunction", new FunctionSpec(
                "sweeper",
                HANDLER,
                "PiSync: marks devices offline after OFFLINE_AFTER_MINUTES without an upload",
                MEMORY_MB,
                TIMEOUT,
                Map.of("ALERTS_TOPIC_ARN", alerts.topic().getTopicArn()),
                RESERVED_CONCURRENCY));

        var role = sweeper.role();
        storage.grantIndexes(role, storage.devices(), List.of(Storage.OFFLINE_WATCH), "dynamodb:Query");
        storage.grantTable(role, storage.devices(), "dynamodb:GetItem", "dynamodb:UpdateItem");
        // Retrying alert transitions a decommission could not publish (PendingAlertSweep): the outbox's own
        // grants, as the processor's — alerts PutItem, SNS publish — and its index.
        storage.grantIndexes(role, storage.devices(), List.of(Storage.PENDING_ALERTS), "dynamodb:Query");
        storage.grantTable(role, storage.alerts(), "dynamodb:PutItem");
        alerts.grantPublish(role);
        // Site incidents (v1.1): the alert outbox asks whether the device's site is in incident (incidents GetItem)
        // and, for a recovery, whether the alert's opening was filed under one (alerts GetItem).
        storage.grantTable(role, storage.incidents(), "dynamodb:GetItem");
        storage.grantTable(role, storage.alerts(), "dynamodb:GetItem");

        schedule = Rule.Builder.create(this, "Schedule")
                .description("PiSync " + config.stage() + ": offline sweep every " + RATE.toMinutes() + " minutes")
                .schedule(Schedule.rate(RATE))
                .targets(List.of(new LambdaFunction(sweeper.alias())))
                .build();
        ServerlessNag.suppress(schedule, "Serverless-EventBusDLQ", "A schedule event that could not be delivered "
                + "is worth nothing later: the next run, " + RATE.toMinutes() + " minutes on, does the same work.");
    }

    public LiveFunction sweeper() {
        return sweeper;
    }

    public Rule schedule() {
        return schedule;
    }
}
