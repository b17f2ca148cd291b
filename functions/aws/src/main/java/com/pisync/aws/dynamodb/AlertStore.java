package com.pisync.aws.dynamodb;

import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Alerts as the dashboard lists them: one item per alert, rewritten whole at each transition. */
public final class AlertStore {

    private final DynamoDbClient dynamo;
    private final String table;

    public AlertStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Idempotent: the item is a function of the alert. An opening never overwrites a resolution
     * that was written first.
     */
    public void put(Alert alert) {
        if (alert.state() == AlertState.RESOLVED) {
            dynamo.putItem(r -> r.tableName(table).item(AlertItems.toTableItem(alert))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return;
        }
        try {
            dynamo.putItem(r -> r.tableName(table).item(AlertItems.toTableItem(alert))
                    .conditionExpression("attribute_not_exists(#id) OR #state = :open")
                    .expressionAttributeNames(Map.of("#id", AlertItems.ALERT_ID, "#state", AlertItems.STATE))
                    .expressionAttributeValues(Map.of(":open", AttributeValue.fromS(AlertState.OPEN.wireName())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException e) {
            // Already resolved: the resolution stands.
        }
    }

    public Alert get(String alertId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(AlertItems.ALERT_ID, AttributeValue.fromS(alertId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : AlertItems.fromItem(item);
    }
}
