package com.pisync.local.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.aws.stats.FleetStats;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.DeviceState;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.local.LocalPiSync;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what PiSync stored and published with the {@link Workload}'s model and lists every difference:
 * per device the history (each event stored once, none missing), the counters, the newest attempt,
 * success and failure, the streak, the status, the open alert and an empty outbox; the alert messages SNS
 * delivered (per device, one {@code device.failure_streak} per streak and one {@code device.recovered} per
 * ended streak, alternating, each transition once) and the alerts table; the fleet counters.
 */
final class Outcome {

    final List<String> differences = new ArrayList<>();
    int historyItems;
    int alertMessages;
    long duplicateAlertMessages;

    /** Transition ids that may legitimately arrive twice (published, then the process died before recording it). */
    final Set<String> mayRepeat = new HashSet<>();

    private void expect(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            differences.add(what + ": expected " + expected + ", got " + actual);
        }
    }

    static Outcome check(LocalPiSync stack, Workload workload, List<JsonNode> published, Instant now, Set<String> mayRepeat) {
        Outcome o = new Outcome();
        o.mayRepeat.addAll(mayRepeat);
        long t0 = System.nanoTime();
        o.checkDevices(stack, workload);
        long t1 = System.nanoTime();
        o.checkAlerts(stack, workload, published);
        long t2 = System.nanoTime();
        o.checkFleetCounters(stack, workload, now);
        System.out.printf(java.util.Locale.ROOT, "  check: devices %.1f s, alerts %.1f s, fleet counters %.1f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
        return o;
    }

    private void checkDevices(LocalPiSync stack, Workload workload) {
        DeviceStore devices = new DeviceStore(stack.dynamo, stack.config.devicesTable());
        SyncEventStore history = new SyncEventStore(stack.dynamo, stack.config.syncEventsTable(),
                stack.config.historyRetention());
        for (Workload.ExpectedDevice d : workload.devices.values()) {
            String id = d.deviceId;
            List<ReceivedSyncEvent> stored = history.history(id, 100_000);
            historyItems += stored.size();
            Map<String, Integer> copies = new TreeMap<>();
            for (ReceivedSyncEvent e : stored) {
                copies.merge(e.event().eventId(), 1, Integer::sum);
                Workload.Event sent = d.events.get(e.orderKey());
                if (sent == null) {
                    differences.add(id + ": stored an event never sent: " + e.orderKey());
                } else {
                    expect(sent.failed(), e.event().failed(), id + " " + sent.eventId() + " outcome");
                    expect(sent.timestamp(), e.event().timestamp(), id + " " + sent.eventId() + " timestamp");
                    expect(sent.receivedAt(), e.receivedAt(), id + " " + sent.eventId() + " received_at");
                }
            }
            copies.forEach((eventId, n) -> {
                if (n > 1) {
                    differences.add(id + ": event " + eventId + " stored " + n + " times");
                }
            });
            for (Workload.Event e : d.events.values()) {
                if (!copies.containsKey(e.eventId())) {
                    differences.add(id + ": event " + e.eventId() + " lost (no history item)");
                }
            }

            DeviceRecord record = devices.load(id);
            DeviceState s = record.state();
            Workload.Event newest = d.newest();
            Workload.Event success = d.newestSuccess();
            Workload.Event failure = d.newestFailure();
            List<Workload.Event> streak = d.currentStreak();
            expect((long) d.events.size(), s.totalSyncs(), id + " total_syncs");
            expect(d.failures(), s.totalFailures(), id + " total_failures");
            expect(newest == null ? null : newest.orderKey(), s.lastKey(), id + " last_key");
            expect(newest == null ? null : newest.timestamp(), s.lastAttemptAt(), id + " last_attempt_at");
            expect(newest == null ? null : newest.failed() ? com.pisync.domain.Outcome.FAILED
                    : com.pisync.domain.Outcome.SUCCESS, s.lastStatus(), id + " last_status");
            expect(newest == null ? null : newest.pendingFiles(), s.pendingFiles(), id + " pending_files");
            expect(success == null ? null : success.orderKey(), s.lastSuccessKey(), id + " last_success_key");
            expect(success == null ? null : success.timestamp(), s.lastSyncAt(), id + " last_sync_at");
            expect(failure == null ? null : failure.orderKey(), s.lastFailureKey(), id + " last_failure_key");
            expect(failure == null ? null : failure.errorMessage(), s.lastError(), id + " last_error");
            expect(failure == null ? null : failure.errorCode(), s.lastErrorCode(), id + " last_error_code");
            expect(streak.size(), s.consecutiveFailures(), id + " consecutive_failures");
            expect(streak.isEmpty() ? null : streak.get(0).timestamp(), s.streak().startedAt(), id + " streak_started_at");
            expect(d.events.isEmpty() ? null : d.lastSeenAt, s.lastSeenAt(), id + " last_seen_at");
            expect(d.alertOpen(), s.openAlert() != null, id + " has an open alert");
            if (s.openAlert() != null) {
                expect(streak.size(), s.openAlert().consecutiveFailures(), id + " open alert's consecutive_failures");
            }
            expect(List.of(), record.outbox().stream().map(DeviceRecord.OutboxEntry::attribute).toList(),
                    id + " outbox (transitions not published)");
            expect(d.status(), record.storedStatus(), id + " status");
        }
    }

    private void checkAlerts(LocalPiSync stack, Workload workload, List<JsonNode> published) {
        alertMessages = published.size();
        Map<String, List<JsonNode>> byDevice = new HashMap<>();
        Map<String, Integer> transitions = new HashMap<>();
        for (JsonNode a : published) {
            String transition = a.path("transition_id").asText();
            int n = transitions.merge(transition, 1, Integer::sum);
            if (n > 1) {
                duplicateAlertMessages++;
                if (!mayRepeat.contains(transition) || n > 2) {
                    differences.add("alert transition " + transition + " published " + n + " times: " + a);
                }
                continue;
            }
            byDevice.computeIfAbsent(a.path("device_id").asText(), k -> new ArrayList<>()).add(a);
        }
        AlertStore alerts = new AlertStore(stack.dynamo, stack.config.alertsTable());
        DeviceStore devices = new DeviceStore(stack.dynamo, stack.config.devicesTable());
        for (Workload.ExpectedDevice d : workload.devices.values()) {
            List<JsonNode> mine = byDevice.getOrDefault(d.deviceId, List.of());
            long opened = mine.stream().filter(a -> a.path("type").asText().equals("device.failure_streak")).count();
            long resolved = mine.stream().filter(a -> a.path("type").asText().equals("device.recovered")).count();
            expect((long) d.alertsOpened, opened, d.deviceId + " failure_streak alerts published");
            expect((long) d.alertsResolved, resolved, d.deviceId + " recovered alerts published");
            String open = null;
            for (JsonNode a : mine) {
                String type = a.path("type").asText();
                String alertId = a.path("alert_id").asText();
                if (type.equals("device.failure_streak")) {
                    if (open != null) {
                        differences.add(d.deviceId + ": a second alert " + alertId + " while " + open + " is open");
                    }
                    open = alertId;
                } else {
                    if (!alertId.equals(open)) {
                        differences.add(d.deviceId + ": recovered " + alertId + " but the open alert was " + open);
                    }
                    open = null;
                }
                Alert stored = alerts.get(alertId);
                if (stored == null) {
                    differences.add(d.deviceId + ": alert " + alertId + " published but not in the alerts table");
                }
            }
            for (JsonNode a : mine) {
                Alert stored = alerts.get(a.path("alert_id").asText());
                if (stored != null) {
                    boolean resolvedLater = mine.stream().anyMatch(b -> b.path("type").asText().equals("device.recovered")
                            && b.path("alert_id").asText().equals(stored.alertId()));
                    expect(resolvedLater ? AlertState.RESOLVED : AlertState.OPEN, stored.state(),
                            d.deviceId + " alert " + stored.alertId() + " state in the alerts table");
                }
            }
            Alert deviceOpen = devices.load(d.deviceId).state().openAlert();
            expect(open, deviceOpen == null ? null : deviceOpen.alertId(), d.deviceId + " open alert = last published");
        }
    }

    private void checkFleetCounters(LocalPiSync stack, Workload workload, Instant now) {
        stack.runStats();
        FleetStats stats = new FleetStatsStore(stack.dynamo, stack.config.statsTable()).read(null, now);
        Map<String, long[]> expected = workload.daily();
        Map<String, long[]> actual = new TreeMap<>();
        for (FleetStats.Day day : stats.daily()) {
            if (day.syncs() > 0 || day.failures() > 0 || day.filesSynced() > 0) {
                actual.put(day.date().toString(), new long[] {day.syncs(), day.failures(), day.filesSynced()});
            }
        }
        expect(render(expected), render(actual), "fleet daily counters (syncs, failures, files)");
        // the store's window: the current hour and the 24 before it
        Instant windowStart = now.truncatedTo(ChronoUnit.HOURS).minus(FleetStatsStore.HOURS - 1, ChronoUnit.HOURS);
        long[] last24h = workload.receivedSince(windowStart);
        if (last24h[0] == 0) {
            differences.add("no event received in the last-24 h window from " + windowStart + ": that check proves nothing");
        }
        expect(last24h[0], stats.last24h().syncs(), "fleet syncs in the last 24 h (received from " + windowStart + ")");
        expect(last24h[1], stats.last24h().failures(), "fleet failures in the last 24 h");
        expect(workload.devices.values().stream().filter(d -> d.status().equals("failing")).count(),
                stats.devices().failing(), "devices failing");
        expect(workload.devices.values().stream().filter(d -> d.status().equals("healthy")).count(),
                stats.devices().healthy(), "devices healthy");
    }

    private static String render(Map<String, long[]> days) {
        StringBuilder b = new StringBuilder();
        days.forEach((day, c) -> b.append(day).append('=').append(c[0]).append('/').append(c[1]).append('/').append(c[2])
                .append(' '));
        return b.toString().trim();
    }

    String report() {
        return differences.size() + " difference(s)" + (differences.isEmpty() ? "" : ":\n  "
                + String.join("\n  ", differences.subList(0, Math.min(40, differences.size()))));
    }
}
