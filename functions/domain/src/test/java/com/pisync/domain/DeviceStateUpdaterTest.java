package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeviceStateUpdaterTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final DeviceStateUpdater updater = new DeviceStateUpdater(3);

    /** History kept the way the processor keeps it, so late successes can look it up. */
    private final List<ReceivedSyncEvent> applied = new ArrayList<>();

    private static ReceivedSyncEvent event(int minute, boolean failed) {
        return event(minute, null, failed);
    }

    private static ReceivedSyncEvent event(int minute, Long seq, boolean failed) {
        SyncEvent e = new SyncEvent("pibox-9", "e" + minute + (seq == null ? "" : "s" + seq),
                T0.plusSeconds(60L * minute), seq, 10, failed ? 2 : 0, 3.5, failed ? "NET" : null,
                failed ? "timeout at minute " + minute : null, (long) minute, null);
        return new ReceivedSyncEvent(e, NOW);
    }

    private DeviceStateUpdater.Result apply(DeviceState before, ReceivedSyncEvent... events) {
        StreakLookup lookup = key -> {
            FailureStreak s = FailureStreak.NONE;
            for (ReceivedSyncEvent r : applied) {
                if (r.orderKey().compareTo(key) > 0) {
                    s = s.with(r.event());
                }
            }
            return s;
        };
        DeviceStateUpdater.Result result = updater.apply(before, List.of(events), "school-1", lookup, NOW);
        applied.addAll(List.of(events));
        return result;
    }

    private DeviceState applyAll(List<ReceivedSyncEvent> events) {
        DeviceState s = DeviceState.initial("pibox-9");
        for (ReceivedSyncEvent e : events) {
            s = apply(s, e).state();
        }
        return s;
    }

    @Test
    void thirdConsecutiveFailureOpensOneAlert() {
        DeviceState s = applyAll(List.of(event(1, true), event(2, true)));
        assertNull(s.openAlert());
        DeviceStateUpdater.Result third = apply(s, event(3, true));
        assertEquals(1, third.transitions().size());
        AlertTransition t = third.transitions().get(0);
        assertEquals(AlertTransition.Kind.FAILURE_STREAK, t.kind());
        assertEquals(3, t.alert().consecutiveFailures());
        assertEquals(T0.plusSeconds(60), t.alert().streakStartedAt());
        assertEquals("school-1", t.alert().site());
        assertEquals("timeout at minute 3", t.alert().lastError());
        assertEquals(3, third.state().consecutiveFailures());
        assertNotNull(third.state().openAlert());

        DeviceStateUpdater.Result fourth = apply(third.state(), event(4, true));
        assertEquals(List.of(), fourth.transitions(), "a continuing streak raises no second alert");
        assertEquals(4, fourth.state().openAlert().consecutiveFailures());
    }

    @Test
    void successResolvesAndASecondStreakOpensASecondAlert() {
        DeviceState s = applyAll(List.of(event(1, true), event(2, true), event(3, true)));
        String firstAlert = s.openAlert().alertId();
        DeviceStateUpdater.Result recovered = apply(s, event(4, false));
        assertEquals(AlertTransition.Kind.RECOVERED, recovered.transitions().get(0).kind());
        assertEquals(AlertState.RESOLVED, recovered.transitions().get(0).alert().state());
        assertEquals(NOW, recovered.transitions().get(0).alert().resolvedAt());
        assertNull(recovered.state().openAlert());
        assertEquals(0, recovered.state().consecutiveFailures());
        assertEquals(T0.plusSeconds(240), recovered.state().lastSyncAt());

        DeviceState again = apply(recovered.state(), event(5, true)).state();
        again = apply(again, event(6, true)).state();
        DeviceStateUpdater.Result second = apply(again, event(7, true));
        assertEquals(1, second.transitions().size());
        assertNotEquals(firstAlert, second.transitions().get(0).alert().alertId());
    }

    @Test
    void lateOlderEventNeverRewindsTheNewestAttempt() {
        DeviceState s = applyAll(List.of(event(10, false)));
        DeviceState after = apply(s, event(5, true)).state();
        assertEquals(T0.plusSeconds(600), after.lastAttemptAt());
        assertEquals(Outcome.SUCCESS, after.lastStatus());
        assertEquals(0, after.consecutiveFailures());
        assertEquals(2, after.totalSyncs());
        assertEquals(1, after.totalFailures());
        assertEquals(10L, after.pendingFiles());
    }

    @Test
    void lateFailureInsideTheStreakLengthensItAndMovesItsStart() {
        DeviceState s = applyAll(List.of(event(1, false), event(5, true), event(6, true)));
        DeviceStateUpdater.Result r = apply(s, event(3, true));
        assertEquals(3, r.state().consecutiveFailures());
        assertEquals(T0.plusSeconds(180), r.state().streakStartedAt());
        assertEquals(1, r.transitions().size(), "the late failure completes a streak of three");
    }

    @Test
    void lateSuccessInsideTheStreakShortensItAndResolvesTheAlert() {
        DeviceState s = applyAll(List.of(event(1, true), event(2, true), event(3, true), event(4, true)));
        assertNotNull(s.openAlert());
        DeviceStateUpdater.Result r = apply(s, new ReceivedSyncEvent(new SyncEvent("pibox-9", "late-ok", T0.plusSeconds(150), null, 1, 0, 1.0,
                        null, null, null, null), NOW));
        assertEquals(2, r.state().consecutiveFailures());
        assertEquals(T0.plusSeconds(180), r.state().streakStartedAt());
        assertEquals(T0.plusSeconds(150), r.state().lastSyncAt());
        assertEquals(Outcome.FAILED, r.state().lastStatus());
        assertEquals(AlertTransition.Kind.RECOVERED, r.transitions().get(0).kind());
    }

    @Test
    void seqOrdersEventsWhateverTheirTimestamps() {
        // Device clock jumped back: seq 2 carries an earlier timestamp but is the newer attempt.
        DeviceState s = applyAll(List.of(event(50, 1L, false), event(10, 2L, true)));
        assertEquals(Outcome.FAILED, s.lastStatus());
        assertEquals(T0.plusSeconds(600), s.lastAttemptAt());
        assertEquals(1, s.consecutiveFailures());
    }

    @Test
    void anyArrivalOrderGivesTheStateOfDeviceOrder() {
        List<ReceivedSyncEvent> events = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 1; i <= 40; i++) {
            events.add(event(i, random.nextInt(3) != 0));
        }
        DeviceState inOrder = applyAll(events);
        for (int round = 0; round < 50; round++) {
            applied.clear();
            List<ReceivedSyncEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            // arrive in random-sized groups, like SQS batches
            DeviceState s = DeviceState.initial("pibox-9");
            int i = 0;
            while (i < shuffled.size()) {
                int n = 1 + random.nextInt(5);
                List<ReceivedSyncEvent> group = shuffled.subList(i, Math.min(shuffled.size(), i + n));
                s = apply(s, group.toArray(ReceivedSyncEvent[]::new)).state();
                i += n;
            }
            assertEquals(withoutAlert(inOrder), withoutAlert(s), "round " + round);
            assertEquals(inOrder.openAlert() != null, s.openAlert() != null, "round " + round);
        }
    }

    private static DeviceState withoutAlert(DeviceState s) {
        // Which event crossed the threshold (and so the alert's id) depends on arrival order.
        return new DeviceState(s.deviceId(), s.lastKey(), s.lastAttemptAt(), s.lastStatus(), s.lastSuccessKey(),
                s.lastSyncAt(), s.lastFailureKey(), s.lastFailureAt(), s.lastError(), s.lastErrorCode(), s.streak(),
                s.totalSyncs(), s.totalFailures(), s.pendingFiles(), s.lastSeenAt(), null);
    }

    @Test
    void thresholdIsConfigurable() {
        DeviceStateUpdater five = new DeviceStateUpdater(5);
        DeviceState s = DeviceState.initial("pibox-9");
        int transitions = 0;
        for (int i = 1; i <= 6; i++) {
            DeviceStateUpdater.Result r = five.apply(s, List.of(event(i, true)), "s", k -> FailureStreak.NONE, NOW);
            transitions += r.transitions().size();
            if (i == 4) {
                assertEquals(0, transitions);
            }
            s = r.state();
        }
        assertEquals(1, transitions);
    }
}
