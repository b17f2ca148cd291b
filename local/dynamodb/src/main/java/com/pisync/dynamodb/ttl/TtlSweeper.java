package com.pisync.dynamodb.ttl;

import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.capacity.Consumption;
import com.pisync.dynamodb.stream.StreamLog;
import com.pisync.dynamodb.table.StreamInfo;
import com.pisync.dynamodb.table.Table;
import com.pisync.dynamodb.table.TableDefinition;
import com.pisync.dynamodb.value.Value;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Time to Live: deletes items whose TTL attribute (a number of epoch seconds) is in the past by the
 * engine's clock, each with the stream REMOVE record DynamoDB writes for TTL (service identity). Also
 * drops stream records older than 24 hours. Runs in batches, each its own commit, so writers interleave.
 */
public final class TtlSweeper {

    private static final int BATCH = 500;

    private TtlSweeper() {
    }

    /** One full pass; returns how many items it deleted. */
    public static int sweep(Engine engine) {
        int deleted = 0;
        for (Table table : engine.read(() -> engine.catalog().tables())) {
            deleted += sweepTable(engine, table);
            trimStreams(engine, table);
        }
        return deleted;
    }

    private static int sweepTable(Engine engine, Table table) {
        TableDefinition def = table.definition();
        if (!def.ttlEnabled() || def.ttlAttribute() == null) {
            return 0;
        }
        String attribute = def.ttlAttribute();
        BigDecimal now = BigDecimal.valueOf(engine.nowMillis(), 3);
        Value.N before = new Value.N(now);
        Value.N from = new Value.N(now.subtract(FIVE_YEARS_SECONDS));
        int deleted = 0;
        while (true) {
            // each batch its own commit, so writers get a turn between batches
            int n = engine.write(() -> {
                if (engine.catalog().get(def.name()) != table) {
                    return 0; // deleted or recreated meanwhile
                }
                long nowMillis = engine.nowMillis();
                int count = 0;
                for (byte[] key : table.expiring(from, before, BATCH)) {
                    Map<String, Value> item = table.get(key);
                    if (item != null && expired(item, attribute, now)) {
                        table.write(key, item, null, (Consumption) null, engine::nextSequence, nowMillis, true);
                        count++;
                    }
                }
                return count;
            });
            deleted += n;
            if (n < BATCH) {
                return deleted;
            }
        }
    }

    /** Five years, the age beyond which DynamoDB leaves an expiry alone (likely not epoch seconds at all). */
    static final BigDecimal FIVE_YEARS_SECONDS = BigDecimal.valueOf(5L * 365 * 24 * 3600);

    /** Expired: a number of epoch seconds before now (strictly, as AWS documents), but not over five years ago. */
    static boolean expired(Map<String, Value> item, String attribute, BigDecimal nowSeconds) {
        Value v = item.get(attribute);
        return v instanceof Value.N n && n.value().compareTo(nowSeconds) < 0
                && n.value().compareTo(nowSeconds.subtract(FIVE_YEARS_SECONDS)) >= 0;
    }

    private static void trimStreams(Engine engine, Table table) {
        long cutoff = engine.nowMillis() - StreamLog.RETENTION_MILLIS;
        for (StreamInfo s : table.definition().streams()) {
            StreamLog log = table.stream(s);
            Long first = log.first();
            if (first != null) {
                engine.write(() -> log.trim(cutoff));
            }
        }
    }
}
