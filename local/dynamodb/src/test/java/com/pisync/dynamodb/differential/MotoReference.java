package com.pisync.dynamodb.differential;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Runs steps on a moto server and keeps its state what DynamoDB's would be where moto's UpdateItem is not:
 * moto writes an item before it executes the update expression, so a failing update leaves its earlier actions
 * (or a new key-only item) behind, an update that only removes creates a key-only item, and some writes
 * DynamoDB refuses are performed. DynamoDB changes nothing in all these cases. The item is read before and after
 * every UpdateItem (and refused write) and put back when needed.
 */
final class MotoReference {

    /**
     * moto's answer to a step, and the repairs its state needed afterwards.
     *
     * @param before the UpdateItem's item before the step, as a {@link Tree} (null when absent or not an update)
     * @param after  the same after the step, before any repair
     */
    record Answer(Outcome outcome, Set<Deviation> repairs, Map<String, Object> before, Map<String, Object> after) {
    }

    private final DynamoDbClient client;

    MotoReference(DynamoDbClient client) {
        this.client = client;
    }

    Answer run(Step step) {
        ItemRef updated = step.updated();
        if (updated == null) {
            return new Answer(Outcome.run(step.call(), client), Set.of(), null, null);
        }
        Map<String, AttributeValue> before = read(updated);
        Outcome outcome = Outcome.run(step.call(), client);
        Map<String, AttributeValue> after = read(updated);
        Set<Deviation> repairs = EnumSet.noneOf(Deviation.class);
        if (outcome.isError() && !Objects.equals(before, after)) {
            restore(updated, before);
            repairs.add(Deviation.MOTO_FAILED_UPDATE_LEFT_CHANGES);
        } else if (step.has(Step.REFUSED) && !Objects.equals(before, after)) {
            restore(updated, before);
            repairs.add(Deviation.MOTO_ACCEPTS_INVALID_WRITE);
        } else if (!outcome.isError() && step.operation().equals("UpdateItem") && before == null && after != null
                && after.keySet().equals(updated.key().keySet())) {
            restore(updated, null);
            repairs.add(Deviation.MOTO_UPDATE_CREATED_EMPTY_ITEM);
        }
        return new Answer(outcome, repairs, before == null ? null : Tree.item(before),
                after == null ? null : Tree.item(after));
    }

    private Map<String, AttributeValue> read(ItemRef item) {
        GetItemResponse response = client.getItem(b -> b.tableName(item.table()).key(item.key()).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    private void restore(ItemRef item, Map<String, AttributeValue> content) {
        if (content == null) {
            client.deleteItem(b -> b.tableName(item.table()).key(item.key()));
        } else {
            client.putItem(b -> b.tableName(item.table()).item(content));
        }
    }
}
