package com.pisync.aws.dynamodb;

import com.pisync.domain.DeviceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * A site's failing and offline devices, from the keys-only {@link DeviceIndexes#BY_SITE_STATUS} index: what an
 * incident covers when it opens. Reads the site's affected devices only (a school's), never the fleet.
 */
public final class AffectedDevices {

    private final DynamoDbClient dynamo;
    private final String table;

    public AffectedDevices(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Device ids, failing then offline, at most {@code max}. */
    public List<String> of(String site, int max) {
        List<String> ids = new ArrayList<>();
        for (DeviceStatus status : List.of(DeviceStatus.FAILING, DeviceStatus.OFFLINE)) {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = dynamo.query(q -> q.tableName(table).indexName(DeviceIndexes.BY_SITE_STATUS)
                        .keyConditionExpression("#k = :k")
                        .expressionAttributeNames(Map.of("#k", DeviceIndexes.SITE_STATUS))
                        .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(site + "#" + status.wireName())))
                        .exclusiveStartKey(from)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                page.items().forEach(i -> ids.add(i.get(DeviceItems.DEVICE_ID).s()));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && ids.size() < max);
        }
        return ids.size() > max ? ids.subList(0, max) : ids;
    }
}
