package com.pisync.dynamodb.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.dynamodb.LocalServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Writers on several connections at once: each update sees the one before it. */
class ConcurrentWritesTest {

    @Test
    void concurrentIncrementsOverHttpLoseNothing() throws Exception {
        try (LocalServer local = LocalServer.inMemory()) {
            local.createTable("counters", "id", null);
            int threads = 4;
            int each = 60;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        local.dynamo.updateItem(b -> b.tableName("counters").key(Map.of("id", AttributeValue.fromS("c")))
                                .updateExpression("ADD hits :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                        local.dynamo.getItem(b -> b.tableName("counters").key(Map.of("id", AttributeValue.fromS("c"))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertEquals(Integer.toString(threads * each), local.dynamo.getItem(b -> b.tableName("counters")
                    .key(Map.of("id", AttributeValue.fromS("c")))).item().get("hits").n());
        }
    }
}
