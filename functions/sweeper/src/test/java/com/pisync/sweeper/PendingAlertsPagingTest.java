package com.pisync.sweeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.DeviceIndexes;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.PendingAlerts;
import com.pisync.aws.dynamodb.Shards;
import com.pisync.aws.dynamodb.Tables;
import com.pisync.aws.ports.Page;
import com.pisync.testbed.LocalClients;
import com.pisync.testbed.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The pending-alerts index read page by page with its string position, on the DynamoDB engine. */
class PendingAlertsPagingTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aShardIsReadOldestFirstEachDeviceOnceAcrossSmallPagesAndOnlyBeforeTheCutoff() {
        DynamoDbClient dynamo = LocalClients.dynamoDb(TestBed.shared().dynamoDb().endpoint());
        PiSyncConfig config = PiSyncConfig.from(Map.of())
                .withResources("a" + UUID.randomUUID().toString().substring(0, 8) + "-", null, null);
        Tables.createIfMissing(dynamo, config, false);
        String shard = Shards.name(0);
        List<String> expected = new ArrayList<>();
        for (int i = 0; expected.size() < 11; i++) {
            String id = "pa-" + i;
            if (!Shards.of(id).equals(shard)) {
                continue;
            }
            // Two devices per second: ties on the time are broken by the device id.
            Instant since = NOW.minus(Duration.ofMinutes(30)).plusSeconds(expected.size() / 2);
            Map<String, AttributeValue> item = new HashMap<>(DeviceItems.key(id));
            item.putAll(DeviceIndexes.forPendingAlerts(id, since));
            dynamo.putItem(r -> r.tableName(config.devicesTable()).item(item));
            expected.add(id);
        }
        String late = "pa-late";
        Map<String, AttributeValue> lateItem = new HashMap<>(DeviceItems.key(late));
        lateItem.putAll(DeviceIndexes.forPendingAlerts(late, NOW));
        dynamo.putItem(r -> r.tableName(config.devicesTable()).item(lateItem));

        PendingAlerts pending = new PendingAlerts(dynamo, config.devicesTable());
        List<String> read = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Page<String> page = pending.waitingSince(shard, NOW.minusSeconds(60), after, 2);
            read.addAll(page.items());
            after = page.nextAfter();
            pages++;
        } while (after != null && pages < 50);

        List<String> inOrder = new ArrayList<>(expected);
        inOrder.sort((a, b) -> {
            int ia = expected.indexOf(a) / 2;
            int ib = expected.indexOf(b) / 2;
            return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
        });
        assertEquals(inOrder, read);
        assertTrue(pages >= 6, "read in pages of two: " + pages);
    }
}
