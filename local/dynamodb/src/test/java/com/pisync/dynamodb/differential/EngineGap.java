package com.pisync.dynamodb.differential;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * TEMPORARY: engine bugs this test found that are not fixed yet. Each is tolerated where it shows (and the
 * engine's state repaired, so the run can go on to find others) and counted in the summary. Remove an entry as
 * soon as the engine is fixed; {@code -Ddifferential.strict=true} tolerates none of them.
 */
enum EngineGap {

    REMOVE_ONLY_UPDATE_CREATES_ITEM("UpdateItem with only REMOVE (or DELETE) actions on an absent item creates a "
            + "key-only item in the engine (and returns it for ALL_NEW); DynamoDB creates nothing and returns no "
            + "Attributes.");

    private final String description;

    EngineGap(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** Deletes the item if it holds its key attributes only; whether it did. */
    static boolean deleteKeyOnlyItem(DynamoDbClient client, ItemRef item) {
        GetItemResponse response = client.getItem(b -> b.tableName(item.table()).key(item.key()).consistentRead(true));
        if (!response.hasItem() || !response.item().keySet().equals(item.key().keySet())) {
            return false;
        }
        client.deleteItem(b -> b.tableName(item.table()).key(item.key()));
        return true;
    }
}
