package com.pisync.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One API action (PutItem, DescribeStream, ...): a JSON request to a JSON response or a DynamoException. */
@FunctionalInterface
public interface Operation {
    ObjectNode apply(Engine engine, JsonNode request);
}
