package com.pisync.sweeper;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceIndexes;
import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DeviceStore;
import com.pisync.aws.dynamodb.DynamoDeviceStatuses;
import com.pisync.aws.dynamodb.DynamoOfflineWatch;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.ports.DeviceStatuses;
import com.pisync.aws.ports.OfflineWatch;
import com.pisync.aws.ports.Page;
import com.pisync.domain.DeviceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Marks healthy devices that stopped uploading as {@code offline}, without ever scanning the fleet.
 *
 * <p>Only healthy devices carry the keys of the sparse, keys-only
 * {@code offline_due} index ({@code watch_shard}, {@code offline_hour} = the hour of the device's
 * calendar-aware {@code offline_at}, contract v1.1: its site's school time since the last upload exceeds
 * the site's {@code offline_after_hours}). Each of the 16 shards is queried for
 * {@code offline_hour < hour(now)}: every hit was due before
 * the current hour, so the work is proportional to the devices that are (about to be marked)
 * offline, not to the fleet. A device whose offline time falls in the current hour is caught by a
 * later run: a device turns offline at most one hour (plus the schedule period) after its window
 * ends. The dashboard is not affected by that lag for devices that sync again: the processor
 * recomputes the status on every commit.
 *
 * <p>Each hit is read again (strongly consistent), its status recomputed with the same rule the
 * processor uses ({@link DeviceStatus#of}: decommissioned over failing over offline), and written only
 * if it is now offline and not stored as such, with a version-guarded update: a concurrent processor
 * commit wins, and the sweep re-reads once; if the device changed again, it is left to the next run.
 *
 * <p>One run is bounded ({@link Limits#maxDevices()} hits, and it stops when the invocation has less
 * than {@link Limits#reserveMillis()} left), so a mass outage is worked off over several runs: marked
 * devices leave the index, so each run starts on the remainder.
 */
public final class OfflineSweep {

    /** How much one run may do, and how. */
    public record Limits(int pageSize, int maxDevices, long reserveMillis, int parallelism) {

        public static final Limits DEFAULTS = new Limits(200, 50_000, 10_000, 8);

        public Limits {
            if (pageSize < 1 || maxDevices < 1 || reserveMillis < 0 || parallelism < 1) {
                throw new IllegalArgumentException("invalid sweep limits: " + pageSize + ", " + maxDevices + ", "
                        + reserveMillis + ", " + parallelism);
            }
        }

        public Limits withPageSize(int size) {
            return new Limits(size, maxDevices, reserveMillis, parallelism);
        }

        public Limits withMaxDevices(int max) {
            return new Limits(pageSize, max, reserveMillis, parallelism);
        }
    }

    /** Why a run stopped before the index was exhausted. */
    public static final String STOPPED_MAX_DEVICES = "max_devices";
    public static final String STOPPED_TIME_BUDGET = "time_budget";

    private final OfflineWatch watch;
    private final DeviceStatuses devices;
    private final int failureThreshold;
    private final Duration offlineWindow;
    private final Clock clock;
    private final Limits limits;

    public OfflineSweep(DynamoDbClient dynamo, DeviceStore devices, PiSyncConfig config, Clock clock) {
        this(dynamo, devices, config, clock, Limits.DEFAULTS);
    }

    public OfflineSweep(DynamoDbClient dynamo, DeviceStore devices, PiSyncConfig config, Clock clock, Limits limits) {
        this(new DynamoOfflineWatch(dynamo, config.devicesTable()),
                new DynamoDeviceStatuses(devices, new DeviceRegistry(dynamo, config.devicesTable())),
                config.failureThreshold(), config.offlineWindow(), clock, limits);
    }

    /** A sweep over ready-made ports (tests: in-memory ones). */
    public OfflineSweep(OfflineWatch watch, DeviceStatuses devices, int failureThreshold, Duration offlineWindow,
            Clock clock, Limits limits) {
        this.watch = watch;
        this.devices = devices;
        this.failureThreshold = failureThreshold;
        this.offlineWindow = offlineWindow;
        this.clock = clock;
        this.limits = limits;
    }

    /** A run at the clock's time, without a time budget. */
    public SweepResult sweep() {
        return sweep(clock.instant(), () -> Long.MAX_VALUE);
    }

    /**
     * @param now the time the statuses are computed for
     * @param remainingMillis time left in the invocation; the run stops when it drops below the reserve
     */
    public SweepResult sweep(Instant now, LongSupplier remainingMillis) {
        long started = System.nanoTime();
        // Devices whose offline_at (calendar-aware, written by every commit and site re-evaluation) falls in an
        // hour before the current one: every hit is past its offline time.
        String cutoffHour = DeviceIndexes.offlineHour(now);
        Run run = new Run(now, cutoffHour, remainingMillis);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(limits.parallelism(), Shards.COUNT), r -> {
            Thread t = new Thread(r, "offline-sweep");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> shards = new ArrayList<>();
        AtomicInteger failedShards = new AtomicInteger();
        try {
            // Start on a different shard each run, so no shard waits behind the others run after run.
            int first = (int) Math.floorMod(now.getEpochSecond() / 900, (long) Shards.COUNT);
            for (int i = 0; i < Shards.COUNT; i++) {
                String shard = Shards.name((first + i) % Shards.COUNT);
                shards.add(pool.submit(() -> run.sweepShard(shard)));
            }
            for (Future<?> f : shards) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failedShards.incrementAndGet();
                    run.lastError.set(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failedShards.incrementAndGet();
                    run.lastError.set(e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Throwable error = run.lastError.get();
        return new SweepResult(now, cutoffHour, run.queries.get(), run.checked.get(), run.marked.get(),
                run.stillOnline.get(), run.alreadyOffline.get(), run.conflicts.get(), run.gaveUp.get(),
                failedShards.get(), run.stoppedBy.get(), error == null ? null : String.valueOf(error),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** One run's shared state: counters and the stop flag every shard watches. */
    private final class Run {
        final Instant now;
        final String cutoffHour;
        final LongSupplier remainingMillis;
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger claimed = new AtomicInteger();
        final AtomicInteger checked = new AtomicInteger();
        final AtomicInteger marked = new AtomicInteger();
        final AtomicInteger stillOnline = new AtomicInteger();
        final AtomicInteger alreadyOffline = new AtomicInteger();
        final AtomicInteger conflicts = new AtomicInteger();
        final AtomicInteger gaveUp = new AtomicInteger();
        final AtomicReference<String> stoppedBy = new AtomicReference<>();
        final AtomicReference<Throwable> lastError = new AtomicReference<>();

        Run(Instant now, String cutoffHour, LongSupplier remainingMillis) {
            this.now = now;
            this.cutoffHour = cutoffHour;
            this.remainingMillis = remainingMillis;
        }

        /** False (and the run flagged as stopped) when the run must not start on another device or page. */
        boolean mayContinue() {
            if (stoppedBy.get() != null) {
                return false;
            }
            if (remainingMillis.getAsLong() < limits.reserveMillis()) {
                stoppedBy.compareAndSet(null, STOPPED_TIME_BUDGET);
                return false;
            }
            return true;
        }

        void sweepShard(String shard) {
            String start = null;
            do {
                if (!mayContinue()) {
                    return;
                }
                Page<String> page = watch.due(shard, now, start, limits.pageSize());
                queries.incrementAndGet();
                for (String deviceId : page.items()) {
                    if (!mayContinue()) {
                        return;
                    }
                    if (claimed.incrementAndGet() > limits.maxDevices()) {
                        stoppedBy.compareAndSet(null, STOPPED_MAX_DEVICES);
                        return;
                    }
                    checked.incrementAndGet();
                    check(deviceId);
                }
                start = page.nextAfter();
            } while (start != null);
        }

        void check(String deviceId) {
            DeviceRecord record = devices.load(deviceId);
            for (int attempt = 0; ; attempt++) {
                if (!record.exists()) {
                    stillOnline.incrementAndGet(); // deleted since the index entry was read
                    return;
                }
                Instant offlineAt = record.offlineAt() != null ? record.offlineAt()
                        : record.state().lastSeenAt() == null ? null : record.state().lastSeenAt().plus(offlineWindow);
                DeviceStatus status = DeviceStatus.of(record.decommissioned(), record.state(), failureThreshold,
                        offlineAt, now);
                if (status != DeviceStatus.OFFLINE) {
                    stillOnline.incrementAndGet(); // synced again, failing or decommissioned: not ours to change
                    if (status == DeviceStatus.HEALTHY && offlineAt != null
                            && DeviceStatus.HEALTHY.wireName().equals(record.storedStatus())
                            && record.watchedEarlierThan(offlineAt)) {
                        // Its entry was left early by the syncs since (DeviceIndexes.forStatusKeepingWatch): move it
                        // to the hour it is due, so the next sweeps skip it until then. A lost race changes nothing.
                        devices.updateStatus(record, DeviceStatus.HEALTHY, offlineAt);
                    }
                    return;
                }
                if (DeviceStatus.OFFLINE.wireName().equals(record.storedStatus())) {
                    alreadyOffline.incrementAndGet(); // the index had not caught up with an earlier run
                    return;
                }
                if (devices.updateStatus(record, DeviceStatus.OFFLINE, null)) {
                    marked.incrementAndGet();
                    return;
                }
                conflicts.incrementAndGet();
                if (attempt == 1) {
                    gaveUp.incrementAndGet(); // changed twice under us: the processor is busy with it
                    return;
                }
                record = devices.load(deviceId);
            }
        }
    }
}
