package com.pisync.aws.dynamodb;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One page of a query and where the next one starts (null: this was the last). */
public record Page<T>(List<T> items, Map<String, AttributeValue> next) {
}
