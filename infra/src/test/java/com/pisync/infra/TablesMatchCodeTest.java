package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack's tables are exactly {@code com.pisync.aws.dynamodb.Tables.all(config)}: read from the built
 * function jar with each *_TABLE variable set to the table's logical id, so the comparison also proves
 * that the variable names the stack sets are the ones {@code PiSyncConfig} reads.
 */
class TablesMatchCodeTest {

    /**
     * Every function jar that uses DynamoDB bundles pisync-aws; they must agree (a disagreement means a stale
     * build). The auth jar too: it writes the audit log.
     */
    private static final List<String> JARS = List.of("ingest", "processor", "query", "admin", "sweeper", "stats",
            "auth");

    private static PiSyncStack stack;
    private static TemplateJson json;
    private static Map<String, String> environment;
    private static List<FunctionCode.Table> expected;

    @BeforeAll
    static void load() {
        stack = Stacks.dev();
        json = new TemplateJson(Stacks.template(stack));
        environment = new LinkedHashMap<>();
        stack.storage().byEnvironmentName().forEach((name, table) -> environment.put(name, logicalId(table)));
        expected = FunctionCode.tables("query", environment);
    }

    @Test
    void everyFunctionJarDefinesTheSameTables() {
        for (String jar : JARS) {
            assertEquals(expected, FunctionCode.tables(jar, environment), jar + " jar disagrees: rebuild the functions");
        }
    }

    @Test
    void theStackHasExactlyTheTablesOfTheCode() {
        assertEquals(5 + 1 /* v1.1 sites */ + 1 /* v1.1 incidents */ + 1 /* v1.1 audit */ + 1 /* live */, expected.size());
        assertEquals(expected.stream().map(FunctionCode.Table::name).collect(java.util.stream.Collectors.toSet()),
                json.ofType("AWS::DynamoDB::Table").keySet());
    }

    @Test
    void keysIndexesProjectionsTtlAndStreamsAreTheCodes() {
        for (FunctionCode.Table table : expected) {
            Map<String, Object> p = json.props(table.name());
            String what = table.name();
            assertEquals(keys(table.partitionKey(), table.sortKey()), p.get("KeySchema"), what);

            Set<String> keyAttributes = new LinkedHashSet<>();
            keyAttributes.add(table.partitionKey());
            if (table.sortKey() != null) {
                keyAttributes.add(table.sortKey());
            }
            Map<String, Object> indexes = new TreeMap<>();
            for (FunctionCode.Index index : table.indexes()) {
                keyAttributes.add(index.partitionKey());
                if (index.sortKey() != null) {
                    keyAttributes.add(index.sortKey());
                }
                Map<String, Object> projection = index.include() == null ? Map.of("ProjectionType", "ALL")
                        : index.include().isEmpty() ? Map.of("ProjectionType", "KEYS_ONLY")
                        : Map.of("ProjectionType", "INCLUDE", "NonKeyAttributes", index.include());
                indexes.put(index.name(), Map.of(
                        "IndexName", index.name(),
                        "KeySchema", keys(index.partitionKey(), index.sortKey()),
                        "Projection", projection));
            }
            Set<Object> definitions = new HashSet<>();
            keyAttributes.forEach(a -> definitions.add(Map.of("AttributeName", a, "AttributeType", "S")));
            assertEquals(definitions, new HashSet<>((List<?>) p.get("AttributeDefinitions")), what);

            if (indexes.isEmpty()) {
                assertNull(p.get("GlobalSecondaryIndexes"), what);
            } else {
                Map<String, Object> actual = new TreeMap<>();
                for (Object gsi : (List<?>) p.get("GlobalSecondaryIndexes")) {
                    actual.put(String.valueOf(TemplateJson.map(gsi).get("IndexName")), gsi);
                }
                assertEquals(indexes, actual, what);
            }
            assertNull(p.get("LocalSecondaryIndexes"), what);

            assertEquals(table.ttlAttribute() == null ? null : Map.of("AttributeName", table.ttlAttribute(), "Enabled", true),
                    p.get("TimeToLiveSpecification"), what);
            assertEquals(table.stream() ? Map.of("StreamViewType", "NEW_AND_OLD_IMAGES") : null,
                    p.get("StreamSpecification"), what);
        }
    }

    private static List<Map<String, Object>> keys(String partitionKey, String sortKey) {
        List<Map<String, Object>> keys = new ArrayList<>();
        keys.add(Map.of("AttributeName", partitionKey, "KeyType", "HASH"));
        if (sortKey != null) {
            keys.add(Map.of("AttributeName", sortKey, "KeyType", "RANGE"));
        }
        return keys;
    }
}
