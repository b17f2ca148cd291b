package com.pisync.dynamodb.differential;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One item, by table and key: the item an UpdateItem step writes, which moto's repair looks at. */
record ItemRef(String table, Map<String, AttributeValue> key) {
}
