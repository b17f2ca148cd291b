package com.pisync.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.testbed.LocalClients;
import com.pisync.testbed.RequestMeter;
import com.pisync.testbed.TestBed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * IndexPager on the DynamoDB engine: pages merged from 16 unevenly filled partitions give every entry once, in
 * order, in both directions, with and without a filter and bounds; a page reads about its own size, not a page
 * per partition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexPagerTest {

    private static final List<String> SHARDS = java.util.stream.IntStream.range(0, Shards.COUNT).mapToObj(Shards::name)
            .toList();

    private final RequestMeter meter = new RequestMeter();
    private final DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint(), meter);
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final IndexPager pager = new IndexPager(dynamo, workers);

    @AfterAll
    void stopWorkers() {
        workers.shutdown();
    }

    @Test
    void everyEntryOnceInOrderWhateverThePageSizeAndDirection() {
        // Partition 00 holds most entries, some hold a few, some none: pages must wait for the partition that
        // holds the next entry however far the others have been read.
        String table = table();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int shard = i % 3 == 0 ? (i / 3) % 9 : 0;
            keys.add(put(table, SHARDS.get(shard), String.format("k%04d", (i * 7919) % 10_000), ""));
        }
        for (boolean descending : new boolean[] {false, true}) {
            List<String> expected = sorted(keys, descending);
            for (int limit : new int[] {1, 7, 25, 100}) {
                assertEquals(expected, readAll(IndexPager.query(table, null, "pk", SHARDS, "sk", descending), limit),
                        "limit " + limit + (descending ? ", descending" : ""));
            }
        }
    }

    @Test
    void aFilterThatDropsMostEntriesStillGivesEveryMatchOnce() {
        String table = table();
        List<String> matching = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            boolean match = i % 17 == 0;
            String key = put(table, SHARDS.get(i % 5 == 0 ? 3 : i % 16), String.format("k%04d", i), match ? "yes" : "no");
            if (match) {
                matching.add(key);
            }
        }
        IndexPager.Query q = IndexPager.query(table, null, "pk", SHARDS, "sk", true)
                .withFilter("#f = :f", Map.of("#f", "tag"), Map.of(":f", AttributeValue.fromS("yes")));
        for (int limit : new int[] {1, 5, 25}) {
            assertEquals(sorted(matching, true), readAll(q, limit), "limit " + limit);
        }
    }

    @Test
    void boundsKeepThePagesInsideTheRange() {
        String table = table();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(put(table, SHARDS.get(i % 16), String.format("k%04d", i), ""));
        }
        IndexPager.Query q = IndexPager.range(IndexPager.query(table, null, "pk", SHARDS, "sk", false), "k0100", "k0199");
        assertEquals(keys.stream().filter(k -> k.compareTo("k0100") >= 0 && k.compareTo("k0199") <= 0).sorted().toList(),
                readAll(q, 10));
    }

    @Test
    void aPageReadsAboutItsOwnSizeNotAPagePerPartition() {
        // 16 partitions of 60 entries of ~1 KB: reading 26 from each (a page per partition) would cost 16 × 3.5
        // RCU; reading about twice each partition's share costs a 4 KB unit or so per partition.
        String table = table();
        String padding = "x".repeat(1000);
        for (int i = 0; i < 960; i++) {
            put(table, SHARDS.get(i % 16), String.format("k%04d", (i * 7919) % 10_000), padding);
        }
        IndexPager.Query q = IndexPager.query(table, null, "pk", SHARDS, "sk", true);
        meter.reset();
        IndexPager.Result first = pager.page(q, null, 25);
        double firstPage = meter.readUnits();
        meter.reset();
        IndexPager.Result second = pager.page(q, first.nextAfter(), 25);
        double secondPage = meter.readUnits();

        assertEquals(25, first.items().size());
        assertEquals(25, second.items().size());
        assertTrue(firstPage <= 20 && secondPage <= 20, "RCU per page " + firstPage + " / " + secondPage);
    }

    private List<String> readAll(IndexPager.Query q, int limit) {
        List<String> read = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            IndexPager.Result r = pager.page(q, after, limit);
            assertTrue(r.items().size() <= limit, "page larger than its limit");
            r.items().forEach(item -> read.add(item.get("sk").s()));
            if (r.nextAfter() == null) {
                assertEquals(read.size(), new HashSet<>(read).size(), "an entry given twice");
                return read;
            }
            after = r.nextAfter();
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> sorted(List<String> keys, boolean descending) {
        return keys.stream().sorted(descending ? Comparator.<String>reverseOrder() : Comparator.<String>naturalOrder())
                .toList();
    }

    private String table() {
        String name = "pager-" + UUID.randomUUID().toString().substring(0, 8);
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        return name;
    }

    private String put(String table, String partition, String sortKey, String tag) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(partition),
                "sk", AttributeValue.fromS(sortKey), "tag", AttributeValue.fromS(tag.isEmpty() ? "-" : tag))));
        return sortKey;
    }
}
