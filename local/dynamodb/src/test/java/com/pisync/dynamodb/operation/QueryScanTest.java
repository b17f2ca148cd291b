package com.pisync.dynamodb.operation;

import static com.pisync.dynamodb.DynamoAssertions.assertMessage;
import static com.pisync.dynamodb.operation.ItemOperationsTest.n;
import static com.pisync.dynamodb.operation.ItemOperationsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.dynamodb.LocalServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Query and Scan: key ranges, order, paging, filters, indexes. */
class QueryScanTest {

    static LocalServer local;

    @BeforeAll
    static void start() {
        local = LocalServer.inMemory();
        local.dynamo.createTable(b -> b.tableName("events").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(def("device", ScalarAttributeType.S), def("at", ScalarAttributeType.N),
                        def("kind", ScalarAttributeType.S), def("size", ScalarAttributeType.N))
                .keySchema(key("device", KeyType.HASH), key("at", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byKind")
                        .keySchema(key("kind", KeyType.HASH), key("at", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("bySize")
                        .keySchema(key("device", KeyType.HASH), key("size", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes("note").build()).build()));
        for (int d = 0; d < 3; d++) {
            for (int t = -5; t < 20; t++) {
                Map<String, AttributeValue> item = new HashMap<>();
                item.put("device", s("dev" + d));
                item.put("at", n(Integer.toString(t * 10)));
                if (t % 2 == 0) {
                    item.put("kind", s(t % 4 == 0 ? "sync" : "error"));
                }
                item.put("size", n(Integer.toString(100 - t)));
                item.put("note", s("n" + t));
                item.put("body", s("b".repeat(10)));
                local.dynamo.putItem(b -> b.tableName("events").item(item));
            }
        }
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static AttributeDefinition def(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    static List<String> ats(List<Map<String, AttributeValue>> items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get("at").n()));
        return out;
    }

    @Test
    void queryReturnsOnePartitionInNumericSortOrderBothWays() {
        QueryResponse r = local.dynamo.query(b -> b.tableName("events").keyConditionExpression("device = :d AND #at BETWEEN :a AND :b")
                .expressionAttributeNames(Map.of("#at", "at"))
                .expressionAttributeValues(Map.of(":d", s("dev1"), ":a", n("-20"), ":b", n("20"))));
        assertEquals(List.of("-20", "-10", "0", "10", "20"), ats(r.items()));
        QueryResponse back = local.dynamo.query(b -> b.tableName("events").keyConditionExpression("device = :d AND #at < :b")
                .expressionAttributeNames(Map.of("#at", "at"))
                .expressionAttributeValues(Map.of(":d", s("dev1"), ":b", n("-20"))).scanIndexForward(false));
        assertEquals(List.of("-30", "-40", "-50"), ats(back.items()));
    }

    @Test
    void everySortKeyOperatorSelectsTheRightItems() {
        assertEquals(1, count("#at = :v", "0"));
        assertEquals(5, count("#at < :v", "0"));
        assertEquals(6, count("#at <= :v", "0"));
        assertEquals(19, count("#at > :v", "0"));
        assertEquals(20, count("#at >= :v", "0"));
    }

    private int count(String sort, String v) {
        return local.dynamo.query(b -> b.tableName("events").keyConditionExpression("device = :d AND " + sort)
                .expressionAttributeNames(Map.of("#at", "at"))
                .expressionAttributeValues(Map.of(":d", s("dev2"), ":v", n(v)))).count();
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeats() {
        List<String> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = local.dynamo.query(b -> b.tableName("events").keyConditionExpression("device = :d")
                    .expressionAttributeValues(Map.of(":d", s("dev0"))).limit(7).exclusiveStartKey(from).scanIndexForward(false));
            all.addAll(ats(r.items()));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);
        assertEquals(25, all.size());
        assertEquals("190", all.get(0));
        assertEquals("-50", all.get(24));
        assertEquals(4, pages); // 7 + 7 + 7 + 4: the last page is short, so no LastEvaluatedKey
    }

    @Test
    void theFilterAppliesAfterTheLimit() {
        QueryResponse r = local.dynamo.query(b -> b.tableName("events").keyConditionExpression("device = :d")
                .filterExpression("kind = :k").expressionAttributeValues(Map.of(":d", s("dev0"), ":k", s("sync"))).limit(8));
        assertEquals(8, r.scannedCount());
        assertEquals(2, r.count()); // at -40, 0 (t = -4, 0) among the first 8 (t = -5..2)
        assertTrue(r.hasLastEvaluatedKey());
    }

    @Test
    void aKeysOnlyGlobalIndexHoldsOnlyItemsWithItsKeyAndReturnsTableAndIndexKeys() {
        QueryResponse r = local.dynamo.query(b -> b.tableName("events").indexName("byKind").keyConditionExpression("kind = :k")
                .expressionAttributeValues(Map.of(":k", s("error"))));
        assertEquals(3 * 6, r.count()); // t = -2, 2, 6, 10, 14, 18 for 3 devices
        Map<String, AttributeValue> first = r.items().get(0);
        assertEquals(Set.of("device", "at", "kind"), first.keySet());
        QueryResponse page = local.dynamo.query(b -> b.tableName("events").indexName("byKind").keyConditionExpression("kind = :k")
                .expressionAttributeValues(Map.of(":k", s("error"))).limit(2));
        assertEquals(Set.of("device", "at", "kind"), page.lastEvaluatedKey().keySet());
    }

    @Test
    void consistentReadsOnAGlobalIndexAreRefused() {
        assertMessage("Consistent reads are not supported on global secondary indexes", () -> local.dynamo.query(b -> b
                .tableName("events").indexName("byKind").consistentRead(true).keyConditionExpression("kind = :k")
                .expressionAttributeValues(Map.of(":k", s("error")))));
    }

    @Test
    void aLocalIndexOrdersByItsSortKeyAndFetchesOtherAttributesFromTheTable() {
        QueryResponse r = local.dynamo.query(b -> b.tableName("events").indexName("bySize").keyConditionExpression("device = :d")
                .expressionAttributeValues(Map.of(":d", s("dev0"))).limit(3));
        assertEquals("81", r.items().get(0).get("size").n());
        assertEquals(Set.of("device", "at", "size", "note"), r.items().get(0).keySet());
        QueryResponse all = local.dynamo.query(b -> b.tableName("events").indexName("bySize").keyConditionExpression("device = :d")
                .expressionAttributeValues(Map.of(":d", s("dev0"))).select(Select.ALL_ATTRIBUTES).limit(1));
        assertTrue(all.items().get(0).containsKey("body"));
    }

    @Test
    void anUnknownIndexIsAValidationError() {
        assertMessage("The table does not have the specified index: nope", () -> local.dynamo.query(b -> b.tableName("events")
                .indexName("nope").keyConditionExpression("device = :d").expressionAttributeValues(Map.of(":d", s("x")))));
    }

    @Test
    void legacyKeyConditionsWork() {
        QueryResponse r = local.dynamo.query(b -> b.tableName("events").keyConditions(Map.of(
                "device", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("dev1")).build(),
                "at", Condition.builder().comparisonOperator(ComparisonOperator.GE).attributeValueList(n("150")).build())));
        assertEquals(List.of("150", "160", "170", "180", "190"), ats(r.items()));
    }

    @Test
    void selectCountReturnsNoItems() {
        QueryResponse r = local.dynamo.query(b -> b.tableName("events").keyConditionExpression("device = :d")
                .expressionAttributeValues(Map.of(":d", s("dev1"))).select(Select.COUNT));
        assertEquals(25, r.count());
        assertFalse(r.hasItems() && !r.items().isEmpty());
    }

    @Test
    void parallelScanSegmentsCoverTheTableExactlyOnce() {
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int seg = 0; seg < 4; seg++) {
            int segment = seg;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse r = local.dynamo.scan(b -> b.tableName("events").segment(segment).totalSegments(4).limit(10)
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> i : r.items()) {
                    assertTrue(seen.add(i.get("device").s() + "/" + i.get("at").n()));
                    total++;
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        }
        assertEquals(75, total);
    }

    @Test
    void scanSegmentMustBeBelowTotalSegments() {
        assertMessage("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less "
                + "than TotalSegments: 3", () -> local.dynamo.scan(b -> b.tableName("events").segment(3).totalSegments(3)));
    }

    @Test
    void scanWithAFilterCountsScannedAndMatched() {
        ScanResponse r = local.dynamo.scan(b -> b.tableName("events").filterExpression("attribute_exists(kind)"));
        assertEquals(75, r.scannedCount());
        assertEquals(3 * 12, r.count());
        assertNull(r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? "more" : null);
    }
}
