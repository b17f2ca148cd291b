package com.pisync.local.runner;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.pisync.sweeper.OfflineSweepHandler;
import com.pisync.testbed.LocalClients;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One run of the offline sweep, invoked as EventBridge's schedule rule invokes it on AWS. */
final class ScheduledSweep implements Runnable {

    private final OfflineSweepHandler sweeper;
    private final Clock clock;
    private final LocalRunner.Hooks hooks;

    ScheduledSweep(OfflineSweepHandler sweeper, Clock clock, LocalRunner.Hooks hooks) {
        this.sweeper = sweeper;
        this.clock = clock;
        this.hooks = hooks;
    }

    @Override
    public void run() {
        ScheduledEvent event = new ScheduledEvent();
        event.setId(UUID.randomUUID().toString());
        event.setDetailType("Scheduled Event");
        event.setSource("aws.events");
        event.setAccount("000000000000");
        event.setRegion(LocalClients.REGION.id());
        event.setTime(new org.joda.time.DateTime(clock.millis(), org.joda.time.DateTimeZone.UTC));
        event.setResources(List.of("arn:aws:events:us-east-1:000000000000:rule/pisync-offline-sweep"));
        event.setDetail(Map.of());
        hooks.invoke("sweeper", () -> {
            sweeper.handleRequest(event, null); // logs its one JSON line, as on Lambda
            return null;
        });
    }
}
