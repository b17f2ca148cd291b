package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.domain.FailureRanking.Entry;
import com.pisync.domain.FailureRanking.Page;
import com.pisync.domain.FailureRanking.Position;
import com.pisync.domain.FailureRanking.Ranked;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FailureRankingTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);

    @Test
    void theBoundIsTheTotalOfTheKeptFailures() {
        assertEquals(List.of(0, 1, 2, 9, 999_999), java.util.stream.IntStream.of(0, 1, 2, 9, 5_000_000)
                .map(FailureRanking::bound).boxed().toList());
    }

    @Test
    void aPageReadsWhatItGivesOutWhateverHowManyDevicesShareTheTopTotal() {
        // 3,000 devices with the same top total: the first page settles them in id order as it reads them.
        Map<String, Map<String, Integer>> devices = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            devices.put(String.format("top-%05d", i), Map.of(day(1), 39));
        }
        Page page = FailureRanking.page(ranking(devices).iterator(), day(7), 1, null, 25);
        assertEquals(25, page.items().size());
        assertTrue(page.read() <= 27, "read " + page.read());
    }

    @Test
    void rankKeysSortByBoundDescendingThenDeviceId() {
        List<String> keys = new ArrayList<>(List.of(FailureRanking.rankKey(3, "b"), FailureRanking.rankKey(12, "z"),
                FailureRanking.rankKey(3, "a"), FailureRanking.rankKey(1, "a")));
        keys.sort(Comparator.naturalOrder());
        assertEquals(List.of(FailureRanking.rankKey(12, "z"), FailureRanking.rankKey(3, "a"),
                FailureRanking.rankKey(3, "b"), FailureRanking.rankKey(1, "a")), keys);
        assertEquals(12, FailureRanking.boundOf(FailureRanking.rankKey(12, "z")));
        assertTrue(FailureRanking.rankKey(3, "~~~").compareTo(FailureRanking.rankKeyAtLeast(3)) < 0);
        assertTrue(FailureRanking.rankKey(2, "a").compareTo(FailureRanking.rankKeyAtLeast(3)) > 0);
    }

    @Test
    void aDeviceWhoseFailuresAreOlderThanTheWindowGivesWayToOneWithFewerButRecentFailures() {
        List<Entry> ranking = ranking(Map.of(
                "old", Map.of(day(20), 10),
                "recent", Map.of(day(1), 3),
                "mixed", Map.of(day(20), 5, day(2), 4)));
        Page page = FailureRanking.page(ranking.iterator(), day(7), 1, null, 10);
        assertEquals(List.of(new Ranked("mixed", 4), new Ranked("recent", 3)), page.items());
        assertFalse(page.more());
    }

    @Test
    void matchesABruteForceCountForEverySinceDayMinimumAndPageSize() {
        Random random = new Random(42);
        for (int fleet = 0; fleet < 25; fleet++) {
            Map<String, Map<String, Integer>> devices = randomFleet(random, 1 + random.nextInt(120));
            List<Entry> ranking = ranking(devices);
            for (int back = 0; back <= 30; back += 1 + random.nextInt(4)) {
                String since = day(back);
                int min = 1 + random.nextInt(6);
                int limit = 1 + random.nextInt(12);
                List<Ranked> expected = bruteForce(devices, since, min);
                assertEquals(expected, pageThroughAll(ranking, since, min, limit),
                        "fleet " + fleet + " since " + since + " min " + min + " limit " + limit);
            }
        }
    }

    @Test
    void aFirstPageReadsOnlyEntriesWhoseBoundReachesItsLowestCount() {
        // 10 devices with 20 recent failures, 5,000 with 2: the first page of 10 stops at the first bound below 20.
        Map<String, Map<String, Integer>> devices = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            devices.put("top-" + i, Map.of(day(1), 20));
        }
        for (int i = 0; i < 5000; i++) {
            devices.put(String.format("dev-%05d", i), Map.of(day(3), 2));
        }
        Page page = FailureRanking.page(ranking(devices).iterator(), day(7), 1, null, 10);
        assertEquals(10, page.items().size());
        assertTrue(page.more());
        assertTrue(page.read() <= 12, "read " + page.read());
        // The next page starts among the devices with 2: it reads the top again, then one page and one more.
        Page second = FailureRanking.page(ranking(devices).iterator(), day(7), 1, new Position(20, "top-9"), 10);
        assertEquals("dev-00000", second.items().get(0).deviceId());
        assertTrue(second.read() <= 10 + 12, "read " + second.read());
    }

    @Test
    void readingStopsAtTheFirstBoundBelowTheMinimum() {
        Map<String, Map<String, Integer>> devices = new TreeMap<>();
        devices.put("a", Map.of(day(1), 5));
        for (int i = 0; i < 100; i++) {
            devices.put("low-" + i, Map.of(day(1), 1));
        }
        Page page = FailureRanking.page(ranking(devices).iterator(), day(7), 3, null, 25);
        assertEquals(List.of(new Ranked("a", 5)), page.items());
        assertFalse(page.more());
        assertEquals(1, page.read());
    }

    @Test
    void anEntryIsSettledOnlyWhenNothingUnreadCanPrecedeIt() {
        Ranked r = new Ranked("m", 4);
        assertTrue(FailureRanking.settled(r, null));
        assertTrue(FailureRanking.settled(r, new Entry("a", 3, Map.of())));
        assertTrue(FailureRanking.settled(r, new Entry("n", 4, Map.of())));
        assertFalse(FailureRanking.settled(r, new Entry("a", 4, Map.of())));
        assertFalse(FailureRanking.settled(r, new Entry("z", 6, Map.of())));
    }

    /** Pages through the whole answer, checking no device comes twice. */
    static List<Ranked> pageThroughAll(List<Entry> ranking, String since, int min, int limit) {
        List<Ranked> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Position after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            Page page = FailureRanking.page(ranking.iterator(), since, min, after, limit);
            for (Ranked r : page.items()) {
                assertTrue(seen.add(r.deviceId()), r.deviceId() + " on two pages");
            }
            all.addAll(page.items());
            if (!page.more()) {
                return all;
            }
            assertEquals(limit, page.items().size(), "only the last page may be short");
            Ranked last = page.items().get(page.items().size() - 1);
            after = new Position(last.failures(), last.deviceId());
        }
        throw new AssertionError("did not end");
    }

    static List<Ranked> bruteForce(Map<String, Map<String, Integer>> devices, String since, int min) {
        List<Ranked> out = new ArrayList<>();
        devices.forEach((id, days) -> {
            int n = days.entrySet().stream().filter(d -> d.getKey().compareTo(since) >= 0).mapToInt(Map.Entry::getValue).sum();
            if (n >= min) {
                out.add(new Ranked(id, n));
            }
        });
        out.sort(FailureRanking.ORDER);
        return out;
    }

    /** The ranking as the index holds it: in rank-key order. */
    static List<Entry> ranking(Map<String, Map<String, Integer>> devices) {
        List<Entry> entries = new ArrayList<>();
        devices.forEach((id, days) -> entries.add(new Entry(id, FailureRanking.bound(FailureDays.total(days)), days)));
        entries.sort(Comparator.comparing(e -> FailureRanking.rankKey(e.bound(), e.deviceId())));
        return entries;
    }

    private static Map<String, Map<String, Integer>> randomFleet(Random random, int size) {
        Map<String, Map<String, Integer>> devices = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            Map<String, Integer> days = new TreeMap<>();
            int spread = random.nextInt(4);
            for (int d = 0; d < FailureDays.KEPT_DAYS; d++) {
                if (random.nextInt(10) < spread) {
                    days.put(day(d), 1 + random.nextInt(random.nextBoolean() ? 3 : 15));
                }
            }
            devices.put("d" + random.nextInt(1000) + "-" + i, days);
        }
        return devices;
    }

    private static String day(int back) {
        return TODAY.minusDays(back).toString();
    }
}
