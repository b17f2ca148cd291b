package com.pisync.dynamodb.differential;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The two tables the workload runs on, and the small key spaces that make writes collide with earlier ones.
 *
 * <p>{@value #MAIN}: pk (S) + sk (S); GSI {@value #BY_GROUP} gpk (S) + gsk (N), ALL; GSI {@value #BY_STATUS}
 * status (S) only, INCLUDE n and s; LSI {@value #BY_LOCAL} pk + lsk (S), KEYS_ONLY. {@value #COUNTERS}: id (N).
 *
 * <p>Every attribute name has one type for the whole run, so a type error only happens where the generator
 * asks for one. Index sort keys are unique per item (they embed the item's number): DynamoDB does not define
 * the order of index entries with equal keys, so ties would make the comparison flaky.
 */
final class Schema {

    static final String MAIN = "Main";
    static final String COUNTERS = "Counters";
    static final String BY_GROUP = "ByGroup";
    static final String BY_STATUS = "ByStatus";
    static final String BY_LOCAL = "ByLocal";

    static final List<String> PARTITIONS = List.of("p0", "p1", "p2", "p3");
    static final List<String> SORT_PREFIXES = List.of("a", "b", "c", "d", "e");
    static final int SORTS_PER_PREFIX = 5;
    static final List<String> GROUPS = List.of("g0", "g1", "g2");
    static final List<String> STATUSES = List.of("new", "open", "done");
    /** Canonical texts only: moto keys numbers by their text, DynamoDB by their value. */
    static final List<String> COUNTER_IDS = List.of("-3", "-1.5", "0", "1", "2", "7", "10", "12.25", "100", "1000");

    private Schema() {
    }

    static int sortKeyCount() {
        return SORT_PREFIXES.size() * SORTS_PER_PREFIX;
    }

    static String sortKey(int index) {
        return SORT_PREFIXES.get(index / SORTS_PER_PREFIX) + "#" + index % SORTS_PER_PREFIX;
    }

    /** The item's number, 0..99, from which its unique index sort keys are made. */
    static int itemNumber(int partition, int sort) {
        return partition * sortKeyCount() + sort;
    }

    static Map<String, AttributeValue> mainKey(int partition, int sort) {
        return Map.of("pk", s(PARTITIONS.get(partition)), "sk", s(sortKey(sort)));
    }

    static Map<String, AttributeValue> counterKey(int index) {
        return Map.of("id", n(COUNTER_IDS.get(index)));
    }

    static CreateTableRequest createMain() {
        return CreateTableRequest.builder()
                .tableName(MAIN)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.S),
                        definition("gpk", ScalarAttributeType.S), definition("gsk", ScalarAttributeType.N),
                        definition("status", ScalarAttributeType.S), definition("lsk", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder().indexName(BY_GROUP)
                                .keySchema(key("gpk", KeyType.HASH), key("gsk", KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                                .build(),
                        GlobalSecondaryIndex.builder().indexName(BY_STATUS)
                                .keySchema(key("status", KeyType.HASH))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes("n", "s").build())
                                .build())
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(BY_LOCAL)
                        .keySchema(key("pk", KeyType.HASH), key("lsk", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
    }

    static CreateTableRequest createCounters() {
        return CreateTableRequest.builder()
                .tableName(COUNTERS)
                .billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L)
                        .build())
                .attributeDefinitions(definition("id", ScalarAttributeType.N))
                .keySchema(key("id", KeyType.HASH))
                .build();
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    private static AttributeDefinition definition(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
