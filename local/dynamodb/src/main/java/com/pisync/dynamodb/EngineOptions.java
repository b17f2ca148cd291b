package com.pisync.dynamodb;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How to run the engine: HTTP port (0 picks a free one), data folder (null keeps everything in memory),
 * the clock for TTL, stream retention and timestamps (tests pass a simulated one), and how often the TTL
 * sweeper runs (null or zero: only when asked, see {@link DynamoDbServer#sweepExpiredItems()}).
 */
public record EngineOptions(int port, Path dataDir, Clock clock, Duration ttlSweepInterval) {

    public static final Duration DEFAULT_TTL_SWEEP = Duration.ofSeconds(30);

    public EngineOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (clock == null) {
            clock = Clock.systemUTC();
        }
    }

    /** In memory, a free port, the system clock, TTL sweeps every 30 s. */
    public static EngineOptions inMemory() {
        return new EngineOptions(0, null, Clock.systemUTC(), DEFAULT_TTL_SWEEP);
    }

    /** Persisting in {@code dataDir}, a free port, the system clock, TTL sweeps every 30 s. */
    public static EngineOptions persistent(Path dataDir) {
        return new EngineOptions(0, dataDir, Clock.systemUTC(), DEFAULT_TTL_SWEEP);
    }

    public EngineOptions withPort(int p) {
        return new EngineOptions(p, dataDir, clock, ttlSweepInterval);
    }

    public EngineOptions withDataDir(Path dir) {
        return new EngineOptions(port, dir, clock, ttlSweepInterval);
    }

    public EngineOptions withClock(Clock c) {
        return new EngineOptions(port, dataDir, c, ttlSweepInterval);
    }

    public EngineOptions withTtlSweepInterval(Duration d) {
        return new EngineOptions(port, dataDir, clock, d);
    }
}
