package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The seeded sequence of steps: both tables created, then {@code length} random operations drawn by weight,
 * a whole-table Scan of both tables every {@value #STATE_CHECK_EVERY} steps and at the end (where diverging
 * state shows even if no read happened to look at it). The sequence depends on the seed only, never on answers.
 */
final class Workload {

    static final int STATE_CHECK_EVERY = 100;

    private record Kind(int weight, IntFunction<Step> factory) {
    }

    private final Gen gen;
    private final List<Kind> kinds = new ArrayList<>();
    private final ReadSteps reads;
    private int totalWeight;

    Workload(long seed) {
        this.gen = new Gen(seed);
        ItemSteps items = new ItemSteps(gen);
        this.reads = new ReadSteps(gen, items);
        BatchSteps batches = new BatchSteps(gen, items);
        kind(14, items::putMain);
        kind(4, items::putCounter);
        kind(18, items::updateMain);
        kind(5, items::updateCounter);
        kind(6, items::deleteMain);
        kind(2, items::deleteCounter);
        kind(9, items::getMain);
        kind(2, items::getCounter);
        kind(8, reads::queryMain);
        kind(5, reads::queryByGroup);
        kind(3, reads::queryByLocal);
        kind(3, reads::queryByStatus);
        kind(2, reads::scan);
        kind(4, batches::batchWrite);
        kind(4, batches::batchGet);
        kind(7, batches::transactWrite);
        kind(3, batches::transactGet);
        kind(4, new InvalidSteps(gen)::any);
    }

    private void kind(int weight, IntFunction<Step> factory) {
        kinds.add(new Kind(weight, factory));
        totalWeight += weight;
    }

    List<Step> steps(int length) {
        List<Step> steps = new ArrayList<>();
        steps.add(createTable(0, Schema.createMain()));
        steps.add(createTable(1, Schema.createCounters()));
        for (int i = 0; i < length; i++) {
            int index = steps.size();
            if (i > 0 && i % STATE_CHECK_EVERY == 0) {
                steps.add(reads.fullScan(index, Schema.MAIN));
                steps.add(reads.fullScan(index + 1, Schema.COUNTERS));
                index += 2;
            }
            steps.add(draw(index));
        }
        steps.add(reads.fullScan(steps.size(), Schema.MAIN));
        steps.add(reads.fullScan(steps.size(), Schema.COUNTERS));
        return steps;
    }

    private Step draw(int index) {
        int roll = gen.below(totalWeight);
        for (Kind kind : kinds) {
            roll -= kind.weight();
            if (roll < 0) {
                return kind.factory().apply(index);
            }
        }
        throw new IllegalStateException("weights");
    }

    /** CreateTable, compared on what DynamoDB defines at creation (not ARNs, dates or sizes). */
    private static Step createTable(int index, CreateTableRequest request) {
        return new Step(index, "CreateTable", request.toString(), Set.of(), null,
                c -> describe(c.createTable(request).tableDescription()));
    }

    private static Map<String, Object> describe(TableDescription table) {
        Map<String, Object> tree = new TreeMap<>();
        tree.put("TableName", table.tableName());
        tree.put("TableStatus", table.tableStatusAsString());
        tree.put("KeySchema", Tree.of(table.keySchema()));
        // DynamoDB does not keep the request's order of attribute definitions.
        Tree.putIfPresent(tree, "AttributeDefinitions", new Tree.Bag(asList(Tree.of(table.attributeDefinitions()))));
        Tree.putIfPresent(tree, "BillingMode",
                table.billingModeSummary() == null ? null : table.billingModeSummary().billingModeAsString());
        if (table.provisionedThroughput() != null) {
            tree.put("ReadCapacityUnits", table.provisionedThroughput().readCapacityUnits());
            tree.put("WriteCapacityUnits", table.provisionedThroughput().writeCapacityUnits());
        }
        List<Object> indexes = new ArrayList<>();
        table.globalSecondaryIndexes().forEach(gsi -> indexes.add(new TreeMap<>(Map.of("IndexName", gsi.indexName(),
                "KeySchema", Tree.of(gsi.keySchema()), "Projection", Tree.of(gsi.projection()),
                "IndexStatus", String.valueOf(gsi.indexStatusAsString())))));
        table.localSecondaryIndexes().forEach(lsi -> indexes.add(new TreeMap<>(Map.of("IndexName", lsi.indexName(),
                "KeySchema", Tree.of(lsi.keySchema()), "Projection", Tree.of(lsi.projection())))));
        Tree.putIfPresent(tree, "Indexes", new Tree.Bag(indexes));
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object list) {
        return list == null ? List.of() : (List<Object>) list;
    }
}
