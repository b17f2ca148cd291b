package com.pisync.bench.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page benchmark at its smallest useful fleet (1,000 devices: full pages for every list) and a bit more:
 * every page full and without repeats (checked while measuring), read cost positive and not growing. No timings.
 */
class PageCostBenchmarkSmokeTest {

    @Test
    void everyPageIsFullAndCostsTheSameAtTwoSizes() throws Exception {
        PageCostBenchmark bench = new PageCostBenchmark();
        bench.loadTo(1_000, 4);
        List<PageCostBenchmark.PageFigures> small = bench.measure(2);
        bench.loadTo(1_300, 4);
        List<PageCostBenchmark.PageFigures> large = bench.measure(2);
        assertEquals(PageCostBenchmark.PAGES.size(), small.size());
        for (int i = 0; i < small.size(); i++) {
            double before = small.get(i).rcu();
            double after = large.get(i).rcu();
            assertTrue(before > 0, small.get(i).toString());
            assertTrue(after <= before * 1.10 + 0.5, small.get(i) + " → " + large.get(i));
        }
        String report = PageCostBenchmark.report(
                java.util.stream.Stream.concat(small.stream(), large.stream()).toList(), List.of(1_000, 1_300));
        assertTrue(report.contains("sync errors"), report);
    }
}
