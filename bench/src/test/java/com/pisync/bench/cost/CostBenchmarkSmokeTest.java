package com.pisync.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost benchmark on a few events: every event stored once (the run checks each device's total through the
 * API), every counted figure present and positive, one upload per event or per ten. No timings asserted.
 */
class CostBenchmarkSmokeTest {

    @TempDir
    Path data;

    @Test
    void smallRunsCountEveryServiceAnEventTouches() {
        List<CostBenchmark.Result> results = CostBenchmark.run(List.of(new CostBenchmark.Scenario(8, 3, 1, CostBenchmark.Fleet.HARSH),
                new CostBenchmark.Scenario(8, 10, 10, CostBenchmark.Fleet.HEALTHY)), data, new PrintStream(new ByteArrayOutputStream()));
        CostBenchmark.Result one = results.get(0);
        CostBenchmark.Result ten = results.get(1);
        assertEquals(24, one.stored());
        assertEquals(80, ten.stored());
        assertEquals(1.0, one.perEvent().apiRequests(), 1e-9);
        assertEquals(0.1, ten.perEvent().apiRequests(), 1e-9);
        // history writes counted per table: an item per event at 1 per upload, at least an upload item per upload at 10
        assertTrue(one.perEvent().capacity().get("sync-events")[1] >= 1.0, "1 per upload");
        double tenHistory = ten.perEvent().capacity().get("sync-events")[1];
        assertTrue(tenHistory >= 0.1 && tenHistory < 1.0, "10 per upload, upload items: " + tenHistory);
        for (CostBenchmark.Result r : results) {
            CostModel.PerEvent e = r.perEvent();
            assertTrue(e.wcu() > e.capacity().get("sync-events")[1], "history and device commits: " + e.wcu());
            assertTrue(e.invocations().get("processor") > 0 && e.invocations().get("stats") > 0);
            assertTrue(e.sqsRequests() > e.apiRequests(), "sends plus the poller's receives and deletes");
            assertTrue(e.lambdaGbSeconds() > 0 && e.lambdaGbSecondsMeasured() > 0);
            assertTrue(r.counts().function("processor").cpuMillis() > 0);
            assertTrue(r.historyItemBytes()[1] > 100 && r.deviceItemBytes()[1] > 200);
        }
        assertEquals(0.0, one.uploadItemBytes()[3], "one event per upload: no upload item");
        assertTrue(ten.uploadItemBytes()[1] > ten.historyItemBytes()[1], "ten events in one item: " + ten.uploadItemBytes()[1]);
        String report = CostBenchmark.report(results);
        assertTrue(report.contains("TOTAL"), report);
    }
}
