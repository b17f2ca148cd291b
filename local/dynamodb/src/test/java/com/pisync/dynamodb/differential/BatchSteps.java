package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Multi-item steps: BatchWriteItem, BatchGetItem, TransactWriteItems, TransactGetItems over both tables. */
final class BatchSteps {

    /** One item of either table, by key, with the indexes it was drawn from (-1 where not applicable). */
    private record Pick(String table, Map<String, AttributeValue> key, int partition, int sort, int counter) {
        boolean main() {
            return table.equals(Schema.MAIN);
        }
    }

    private final Gen gen;
    private final ItemSteps items;

    BatchSteps(Gen gen, ItemSteps items) {
        this.gen = gen;
        this.items = items;
    }

    Step batchWrite(int index) {
        Map<String, List<WriteRequest>> requests = new LinkedHashMap<>();
        for (Pick target : distinctTargets(1 + gen.below(8))) {
            WriteRequest write = gen.chance(65)
                    ? WriteRequest.builder().putRequest(PutRequest.builder().item(target.main()
                            ? gen.values.mainItem(target.partition(), target.sort())
                            : gen.values.counterItem(target.counter())).build()).build()
                    : WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(target.key()).build()).build();
            requests.computeIfAbsent(target.table(), t -> new ArrayList<>()).add(write);
        }
        BatchWriteItemRequest built = BatchWriteItemRequest.builder().requestItems(requests).build();
        return new Step(index, "BatchWriteItem", built.toString(), Set.of(), null,
                c -> ItemSteps.tree(c.batchWriteItem(built)));
    }

    Step batchGet(int index) {
        Map<String, List<Map<String, AttributeValue>>> keys = new LinkedHashMap<>();
        for (Pick target : distinctTargets(1 + gen.below(10))) {
            keys.computeIfAbsent(target.table(), t -> new ArrayList<>()).add(target.key());
        }
        Map<String, KeysAndAttributes> requests = new LinkedHashMap<>();
        keys.forEach((table, tableKeys) -> {
            KeysAndAttributes.Builder request = KeysAndAttributes.builder().keys(tableKeys)
                    .consistentRead(gen.chance(50) ? Boolean.TRUE : null);
            if (table.equals(Schema.MAIN) && gen.chance(40)) {
                Placeholders p = new Placeholders();
                request.projectionExpression(items.projection(p)).expressionAttributeNames(p.names());
            }
            requests.put(table, request.build());
        });
        BatchGetItemRequest built = BatchGetItemRequest.builder().requestItems(requests).build();
        return new Step(index, "BatchGetItem", built.toString(), Set.of(), null, c -> {
            Map<String, Object> tree = ItemSteps.tree(c.batchGetItem(built));
            // DynamoDB answers a batch's items in no particular order.
            if (tree.get("Responses") instanceof Map<?, ?> responses) {
                Map<String, Object> bags = new TreeMap<>();
                responses.forEach((table, list) -> bags.put((String) table, new Tree.Bag(asList(list))));
                tree.put("Responses", bags);
            }
            return tree;
        });
    }

    Step transactWrite(int index) {
        List<Pick> targets = distinctTargets(1 + gen.below(4));
        boolean duplicate = gen.chance(3);
        if (duplicate) {
            targets.add(targets.get(0));
        }
        List<TransactWriteItem> actions = new ArrayList<>();
        for (Pick target : targets) {
            actions.add(transactAction(target));
        }
        TransactWriteItemsRequest built = TransactWriteItemsRequest.builder().transactItems(actions).build();
        return new Step(index, "TransactWriteItems", built.toString(), Set.of(), null,
                c -> ItemSteps.tree(c.transactWriteItems(built)));
    }

    Step transactGet(int index) {
        List<TransactGetItem> gets = new ArrayList<>();
        for (Pick target : distinctTargets(1 + gen.below(4))) {
            Get.Builder get = Get.builder().tableName(target.table()).key(target.key());
            if (target.main() && gen.chance(40)) {
                Placeholders p = new Placeholders();
                get.projectionExpression(items.projection(p)).expressionAttributeNames(p.names());
            }
            gets.add(TransactGetItem.builder().get(get.build()).build());
        }
        TransactGetItemsRequest built = TransactGetItemsRequest.builder().transactItems(gets).build();
        Step step = new Step(index, "TransactGetItems", built.toString(), Set.of(), null,
                c -> ItemSteps.tree(c.transactGetItems(built)));
        return gets.stream().anyMatch(g -> g.get().projectionExpression() != null)
                ? step.withFix(Deviation.MOTO_TRANSACT_GET_IGNORES_PROJECTION,
                        (answer, moto) -> projected(answer, gets))
                : step;
    }

    /** moto's TransactGetItems answer with each Get's ProjectionExpression applied, as DynamoDB answers. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> projected(Map<String, Object> answer, List<TransactGetItem> gets) {
        if (!(answer.get("Responses") instanceof List<?> responses) || responses.size() != gets.size()) {
            return answer;
        }
        List<Object> fixed = new ArrayList<>();
        for (int i = 0; i < gets.size(); i++) {
            Map<String, Object> response = new TreeMap<>((Map<String, Object>) responses.get(i));
            Get get = gets.get(i).get();
            if (get.projectionExpression() != null && response.get("Item") instanceof Map<?, ?> item) {
                response.remove("Item");
                Tree.putIfPresent(response, "Item", Projector.project((Map<String, Object>) item,
                        get.projectionExpression(), get.expressionAttributeNames()));
            }
            fixed.add(response);
        }
        Map<String, Object> copy = new TreeMap<>(answer);
        copy.put("Responses", fixed);
        return copy;
    }

    private TransactWriteItem transactAction(Pick target) {
        Placeholders p = new Placeholders();
        int kind = gen.below(4);
        // Few conditions outside ConditionCheck: one failing condition cancels the whole transaction.
        String condition = kind == 3 || gen.chance(20)
                ? (target.main() ? gen.conditions.main(p) : gen.conditions.counters(p)) : null;
        ReturnValuesOnConditionCheckFailure onFailure = condition != null && gen.chance(40)
                ? ReturnValuesOnConditionCheckFailure.ALL_OLD : null;
        TransactWriteItem.Builder action = TransactWriteItem.builder();
        switch (kind) {
            case 0 -> action.put(Put.builder().tableName(target.table())
                    .item(target.main() ? gen.values.mainItem(target.partition(), target.sort())
                            : gen.values.counterItem(target.counter()))
                    .conditionExpression(condition).returnValuesOnConditionCheckFailure(onFailure)
                    .expressionAttributeNames(p.names()).expressionAttributeValues(p.values()).build());
            case 1 -> {
                Updates.Update update = target.main()
                        ? gen.updates.mainSafe(p, Schema.itemNumber(target.partition(), target.sort()), target.sort())
                        : gen.updates.counters(p);
                action.update(Update.builder().tableName(target.table()).key(target.key())
                        .updateExpression(update.expression())
                        .conditionExpression(condition).returnValuesOnConditionCheckFailure(onFailure)
                        .expressionAttributeNames(p.names()).expressionAttributeValues(p.values()).build());
            }
            case 2 -> action.delete(Delete.builder().tableName(target.table()).key(target.key())
                    .conditionExpression(condition).returnValuesOnConditionCheckFailure(onFailure)
                    .expressionAttributeNames(p.names()).expressionAttributeValues(p.values()).build());
            default -> action.conditionCheck(ConditionCheck.builder().tableName(target.table()).key(target.key())
                    .conditionExpression(condition).returnValuesOnConditionCheckFailure(onFailure)
                    .expressionAttributeNames(p.names()).expressionAttributeValues(p.values()).build());
        }
        return action.build();
    }

    /** Up to {@code count} different items, four in five of them in Main. */
    private List<Pick> distinctTargets(int count) {
        List<Pick> targets = new ArrayList<>();
        Set<Map<String, AttributeValue>> seen = new HashSet<>();
        for (int i = 0; i < count * 3 && targets.size() < count; i++) {
            Pick target;
            if (gen.chance(80)) {
                int partition = gen.partition();
                int sort = gen.sort();
                target = new Pick(Schema.MAIN, Schema.mainKey(partition, sort), partition, sort, -1);
            } else {
                int counter = gen.counter();
                target = new Pick(Schema.COUNTERS, Schema.counterKey(counter), -1, -1, counter);
            }
            if (seen.add(target.key())) {
                targets.add(target);
            }
        }
        return targets;
    }

    private static List<Object> asList(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }
}
