package com.pisync.local.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A simulated fleet's sync events, in rounds, and the model of what PiSync must end up with: per device
 * the stored events, totals, newest attempt, newest success and failure, streak, status and alerts;
 * fleet-wide the daily counters.
 *
 * <p>Each device's events of a round come after all its earlier events in device order. Within a round the
 * events of all devices are packed into uploads in any order and delivered in any order; between rounds the
 * queue is drained. Why rounds: PiSync decides alerts as events arrive (a success arriving late inside a
 * streak ends the alert that the streak had raised), so which alerts are raised depends on arrival order.
 * A round therefore gives each device a device-order pattern whose alerts are the same in <em>every</em>
 * arrival order: when the device's streak is 0 at the round's start, any number of successes followed by
 * any number of failures; otherwise only failures (the streak grows) or only successes (it ends). That
 * covers opening, continuing, resolving and re-opening alerts while every delivery order stays legal.
 */
final class Workload {

    static final int THRESHOLD = 3;
    /** Events are dated in the week before this; uploads are received at it. */
    static final Instant START = Instant.parse("2026-11-01T09:00:00Z");

    /** One sync event as sent, with what the model needs. */
    record Event(String deviceId, String eventId, Long seq, Instant timestamp, boolean failed, long files, long errors,
            double speed, long pendingFiles, String errorCode, String errorMessage, Instant receivedAt) {

        String orderKey() {
            return seq != null ? "q" + pad(seq, 19) + "#" + eventId : "t" + pad(timestamp.toEpochMilli(), 13) + "#" + eventId;
        }

        String json() {
            StringBuilder b = new StringBuilder(200).append("{\"device_id\":\"").append(deviceId)
                    .append("\",\"event_id\":\"").append(eventId).append('"');
            if (seq != null) {
                b.append(",\"seq\":").append(seq);
            }
            b.append(",\"timestamp\":\"").append(timestamp).append("\",\"total_files_synced\":").append(files)
                    .append(",\"total_errors\":").append(errors).append(",\"internet_speed\":").append(speed)
                    .append(",\"pending_files\":").append(pendingFiles);
            if (failed) {
                b.append(",\"error_code\":\"").append(errorCode).append("\",\"error_message\":\"").append(errorMessage)
                        .append('"');
            }
            return b.append('}').toString();
        }

        private static String pad(long v, int width) {
            String d = Long.toString(v);
            return "0".repeat(Math.max(0, width - d.length())) + d;
        }
    }

    /** What one device must look like after everything was delivered. */
    static final class ExpectedDevice {
        final String deviceId;
        final boolean withSeq;
        final Map<String, Event> events = new TreeMap<>(); // by order key: device order
        long nextSeq = 1;
        Instant nextTime;
        int streak;
        int alertsOpened;
        int alertsResolved;
        Instant lastSeenAt;

        ExpectedDevice(String deviceId, boolean withSeq, Instant firstTime) {
            this.deviceId = deviceId;
            this.withSeq = withSeq;
            this.nextTime = firstTime;
        }

        Event newest() {
            return events.isEmpty() ? null : ((TreeMap<String, Event>) events).lastEntry().getValue();
        }

        Event newestSuccess() {
            Event found = null;
            for (Event e : events.values()) {
                if (!e.failed()) {
                    found = e;
                }
            }
            return found;
        }

        Event newestFailure() {
            Event found = null;
            for (Event e : events.values()) {
                if (e.failed()) {
                    found = e;
                }
            }
            return found;
        }

        /** The failures after the newest success, in device order. */
        List<Event> currentStreak() {
            List<Event> streakEvents = new ArrayList<>();
            for (Event e : events.values()) {
                if (e.failed()) {
                    streakEvents.add(e);
                } else {
                    streakEvents.clear();
                }
            }
            return streakEvents;
        }

        long failures() {
            return events.values().stream().filter(Event::failed).count();
        }

        boolean alertOpen() {
            return streak >= THRESHOLD;
        }

        String status() {
            return events.isEmpty() ? "never_synced" : streak >= THRESHOLD ? "failing" : "healthy";
        }
    }

    /** An upload as a device would POST it. */
    record Upload(String deviceId, List<Event> events) {
        String body() {
            if (events.size() == 1) {
                return events.get(0).json();
            }
            StringBuilder b = new StringBuilder("{\"events\":[");
            for (int i = 0; i < events.size(); i++) {
                b.append(i == 0 ? "" : ",").append(events.get(i).json());
            }
            return b.append("]}").toString();
        }
    }

    final long seed;
    final Random random;
    final Map<String, ExpectedDevice> devices = new LinkedHashMap<>();
    int eventsSent;
    int eventsResent;

    Workload(long seed, String prefix, int deviceCount) {
        this.seed = seed;
        this.random = new Random(seed);
        for (int i = 0; i < deviceCount; i++) {
            String id = prefix + "-" + String.format("%04d", i);
            Instant first = START.minus(Duration.ofDays(7)).plusSeconds(random.nextInt(3600));
            devices.put(id, new ExpectedDevice(id, i % 2 == 0, first));
        }
    }

    /**
     * The next round: about {@code eventsPerDevice} new events per device (following the rules above), packed
     * into uploads of 1–{@code maxUploadSize} events, uploads shuffled across devices. A share
     * {@code resendShare} of the events is sent a second time in another upload (a device retrying after a
     * lost response), which must not count twice.
     */
    List<Upload> round(int eventsPerDevice, int maxUploadSize, double resendShare, Instant receivedAt) {
        List<Upload> uploads = new ArrayList<>();
        for (ExpectedDevice d : devices.values()) {
            List<Event> fresh = nextEvents(d, eventsPerDevice, receivedAt);
            if (fresh.isEmpty()) {
                continue;
            }
            d.lastSeenAt = receivedAt;
            List<Event> sending = new ArrayList<>(fresh);
            for (Event e : fresh) {
                if (random.nextDouble() < resendShare) {
                    sending.add(e);
                    eventsResent++;
                }
            }
            Collections.shuffle(sending, random);
            for (int i = 0; i < sending.size(); ) {
                int n = Math.min(sending.size() - i, 1 + random.nextInt(maxUploadSize));
                List<Event> part = new ArrayList<>(sending.subList(i, i + n));
                // one upload must not hold the same event twice (the API would still accept it)
                if (part.stream().map(Event::eventId).distinct().count() < part.size()) {
                    n = 1;
                    part = List.of(sending.get(i));
                }
                uploads.add(new Upload(d.deviceId, part));
                i += n;
            }
        }
        Collections.shuffle(uploads, random);
        return uploads;
    }

    private List<Event> nextEvents(ExpectedDevice d, int perDevice, Instant receivedAt) {
        int successes;
        int failures;
        if (d.streak == 0) {
            successes = random.nextInt(perDevice + 1);
            failures = random.nextInt(4) == 0 ? THRESHOLD + random.nextInt(3) : random.nextInt(THRESHOLD);
        } else if (random.nextBoolean()) {
            successes = 0;
            failures = 1 + random.nextInt(3);
        } else {
            successes = 1 + random.nextInt(perDevice);
            failures = 0;
        }
        List<Event> fresh = new ArrayList<>();
        for (int i = 0; i < successes + failures; i++) {
            boolean failed = i >= successes;
            d.nextTime = d.nextTime.plusSeconds(60 + random.nextInt(600));
            long seq = d.nextSeq++;
            // with seq, timestamps are not in device order (device clocks jump): only seq orders the events
            Instant timestamp = d.withSeq ? d.nextTime.minusSeconds(random.nextInt(3 * 3600)) : d.nextTime;
            Event e = new Event(d.deviceId, d.deviceId + "-e" + seq, d.withSeq ? seq : null, timestamp, failed,
                    failed ? 0 : random.nextInt(200), failed ? 1 + random.nextInt(5) : 0,
                    Math.round(random.nextDouble() * 500) / 10.0, random.nextInt(1000),
                    failed ? "E" + random.nextInt(5) : null, failed ? "failed at " + seq : null, receivedAt);
            fresh.add(e);
            d.events.put(e.orderKey(), e);
            eventsSent++;
        }
        int before = d.streak;
        d.streak = successes > 0 ? failures : before + failures;
        if (before < THRESHOLD && d.streak >= THRESHOLD) {
            d.alertsOpened++;
        }
        if (before >= THRESHOLD && d.streak < THRESHOLD) {
            d.alertsResolved++;
        }
        return fresh;
    }

    int events() {
        return devices.values().stream().mapToInt(d -> d.events.size()).sum();
    }

    int alertsOpened() {
        return devices.values().stream().mapToInt(d -> d.alertsOpened).sum();
    }

    int alertsResolved() {
        return devices.values().stream().mapToInt(d -> d.alertsResolved).sum();
    }

    /**
     * Expected "last 24 h" counters (syncs, failures): the events received from {@code from} on. The hour
     * counters go by the time PiSync received an event, and the test's clock moves on by a visibility
     * timeout per redelivery, so a long run can leave its first rounds outside the window.
     */
    long[] receivedSince(Instant from) {
        long[] c = new long[2];
        for (ExpectedDevice d : devices.values()) {
            for (Event e : d.events.values()) {
                if (!e.receivedAt().isBefore(from)) {
                    c[0]++;
                    c[1] += e.failed() ? 1 : 0;
                }
            }
        }
        return c;
    }

    /** Expected daily counters (by UTC day of the event timestamp): syncs, failures, files. */
    Map<String, long[]> daily() {
        Map<String, long[]> days = new TreeMap<>();
        for (ExpectedDevice d : devices.values()) {
            for (Event e : d.events.values()) {
                long[] c = days.computeIfAbsent(e.timestamp().toString().substring(0, 10), k -> new long[3]);
                c[0]++;
                c[1] += e.failed() ? 1 : 0;
                c[2] += e.files();
            }
        }
        return days;
    }
}
