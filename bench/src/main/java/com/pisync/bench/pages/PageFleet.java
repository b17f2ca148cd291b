package com.pisync.bench.pages;

import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.dynamodb.AlertStore;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.aws.dynamodb.IncidentStore;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.dynamodb.SyncEventStore;
import com.pisync.aws.dynamodb.SyncRequestStore;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.DeviceProfile;
import com.pisync.domain.DeviceStateUpdater;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.FailureStreak;
import com.pisync.domain.Incident;
import com.pisync.domain.ReceivedSyncEvent;
import com.pisync.domain.SiteProfile;
import com.pisync.domain.SyncEvent;
import com.pisync.domain.SyncRequest;
import com.pisync.local.LocalPiSync;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's fleet, written through the real stores (registry with its audit entry, processor commit,
 * history, alerts, sites, incidents, sync requests), many devices at once on a thread pool.
 *
 * <p>Device i: site school-(i % 20). One in 20 (i % 20 == 0) is failing now: three failed syncs in a row on
 * T0's day (status failing, an open alert, the failures in its history) after a stretch of 1–6 days of 1–6
 * failures a day; one in 20 (i % 20 == 10) failed in such a stretch that ended 1–29 days ago and is healthy
 * again (so the repeated-failures ranking holds devices whose failures are older than the window); the rest
 * are healthy (one success). One in ten holds unsynced files (at risk since 1–48 h).
 */
final class PageFleet {

    static final int SITES_WITH_DEVICES = 20;

    private final LocalPiSync stack;
    private final Instant t0;
    private final DeviceRegistry registry;
    private final DeviceStore devices;
    private final SyncEventStore history;
    private final AlertStore alerts;
    private final DynamoAuditLog audit;
    private final DeviceStateUpdater updater = new DeviceStateUpdater(3);

    PageFleet(LocalPiSync stack, Instant t0) {
        this.stack = stack;
        this.t0 = t0;
        this.registry = new DeviceRegistry(stack.dynamo, stack.config.devicesTable());
        this.devices = new DeviceStore(stack.dynamo, stack.config.devicesTable());
        this.history = new SyncEventStore(stack.dynamo, stack.config.syncEventsTable(), stack.config.historyRetention());
        this.alerts = new AlertStore(stack.dynamo, stack.config.alertsTable());
        this.audit = new DynamoAuditLog(stack.dynamo, stack.config.auditTable());
    }

    static String id(int i) {
        return String.format(Locale.ROOT, "scale-%07d", i);
    }

    /** Devices [from, to) on {@code threads} threads. */
    void devices(int from, int to, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            int chunk = 500;
            for (int start = from; start < to; start += chunk) {
                int s = start;
                work.add(pool.submit(() -> {
                    for (int i = s; i < Math.min(to, s + chunk); i++) {
                        device(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void device(int i) {
        String id = id(i);
        String site = "school-" + (i % SITES_WITH_DEVICES);
        AuditContext admin = new AuditContext("bench-admin", "req-" + id, "127.0.0.1", t0);
        var item = registry.register(new DeviceProfile(id, "Device " + i, i % 3 == 0 ? "PiBox" : "PiBook", site,
                List.of()), t0, new DeviceRegistry.AuditTrail(audit, admin));
        boolean failingNow = i % 20 == 0;
        boolean recovered = i % 20 == 10;
        Long pending = i % 10 == 3 ? 5L + i % 7 : 0L;
        Instant oldestPending = pending > 0 ? t0.minus(Duration.ofHours(1 + i % 48)) : null;
        List<ReceivedSyncEvent> events = new ArrayList<>();
        for (int m = 1; m <= (failingNow ? 3 : 1); m++) {
            events.add(new ReceivedSyncEvent(new SyncEvent(id, id + "-" + m, t0.plusSeconds(60L * m + i % 50), null, 3,
                    failingNow ? 1 : 0, 4.0, failingNow ? "NET" : null, failingNow ? "timeout" : null, pending, null,
                    oldestPending), t0.plusSeconds(3600)));
        }
        DeviceRecord before = DeviceItems.fromItem(id, item);
        var result = updater.apply(before.state(), events, site, k -> FailureStreak.NONE, t0.plusSeconds(3600));
        DeviceStatus status = failingNow ? DeviceStatus.FAILING : DeviceStatus.HEALTHY;
        Map<String, Integer> days = failingNow || recovered ? stretch(i, failingNow) : Map.of();
        check(devices.commit(before, result.state(), status, Set.of(), List.of(), days, t0.plusSeconds(3600)),
                "commit of " + id);
        if (failingNow) {
            history.putNewest(events.stream().map(List::of).toList(), site); // an item per event, as November's pages
            alerts.put(new Alert(Alert.idFor(id, events.get(2).orderKey()), id, site, AlertState.OPEN, 3,
                    events.get(0).event().timestamp(), t0.plusSeconds(3600), null, "timeout"));
        }
    }

    /** 1–6 days of 1–6 failures each (a hash of the id), ending on T0's day (failing now) or 1–29 days before. */
    private Map<String, Integer> stretch(int i, boolean failingNow) {
        int h = Math.floorMod(id(i).hashCode() * 31 + 17, 1 << 20);
        int length = 1 + h % 6;
        int perDay = 1 + (h / 6) % 6;
        int endsBack = failingNow ? 0 : 1 + (h / 36) % 29;
        LocalDate end = LocalDate.ofInstant(t0, java.time.ZoneOffset.UTC).minusDays(endsBack);
        Map<String, Integer> days = new TreeMap<>();
        for (int d = 0; d < length && endsBack + d <= 30; d++) {
            days.put(end.minusDays(d).toString(), perDay);
        }
        if (failingNow) {
            days.merge(end.toString(), 3, Integer::sum);
        }
        return days;
    }

    /** A device with {@code events} events in its history, one in five failed. */
    void historyDevice(String id, int events) {
        registry.register(new DeviceProfile(id, "History probe", "PiBook", "school-0", List.of()), t0);
        List<ReceivedSyncEvent> all = new ArrayList<>();
        for (int m = 1; m <= events; m++) {
            boolean failed = m % 5 == 0;
            all.add(new ReceivedSyncEvent(new SyncEvent(id, id + "-" + m, t0.plusSeconds(10L * m), null, 3, failed ? 1 : 0,
                    4.0, failed ? "NET" : null, null, null, null, null), t0.plusSeconds(3600)));
        }
        for (int from = 0; from < all.size(); from += 25) {
            history.putNewest(all.subList(from, Math.min(all.size(), from + 25)).stream().map(List::of).toList(),
                    "school-0");
        }
    }

    /** {@code count} sync requests of one device, as the admin API queues them. */
    void syncRequests(String deviceId, int count) {
        SyncRequestStore store = new SyncRequestStore(stack.dynamo, stack.config.syncRequestsTable());
        for (int r = 0; r < count; r++) {
            store.create(SyncRequest.queue(deviceId, t0.minusSeconds(60L * r), SyncRequest.MAX_TTL));
        }
    }

    /** Site profiles school-[from, to) (the first 20 carry the devices). */
    void sites(int from, int to) {
        SiteStore store = new SiteStore(stack.dynamo, stack.config.sitesTable());
        for (int s = from; s < to; s++) {
            store.put(SiteProfile.defaults("school-" + s), t0);
        }
    }

    /** Incidents [from, to): opened and resolved in turn on the sites with devices. */
    void incidents(int from, int to) {
        IncidentStore store = new IncidentStore(stack.dynamo, stack.config.incidentsTable());
        for (int n = from; n < to; n++) {
            String site = "school-" + (n % SITES_WITH_DEVICES);
            IncidentStore.SiteState state = store.state(site, true);
            Instant at = t0.minus(Duration.ofMinutes(10L * (to - n)));
            Incident open = Incident.open(site, state.generation() + 1, at, 4, 10);
            check(store.open(site, state, open), "incident " + n);
            check(store.resolve(new Incident(open.incidentId(), site, AlertState.RESOLVED, at, at.plusSeconds(300), 4, 10,
                    4)), "resolution of incident " + n);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
