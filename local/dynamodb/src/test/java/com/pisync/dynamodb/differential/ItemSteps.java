package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Single-item steps: PutItem, UpdateItem, DeleteItem, GetItem, on both tables. */
final class ItemSteps {

    static final List<String> PROJECTABLE = List.of("pk", "sk", "n", "s", "ss", "ns", "l", "l[0]", "l[2]", "m",
            "m.a.b", "m.x[0]", "status", "gpk", "gsk", "nope", "bin", "flag", "cnt");

    /** DynamoDB's answer to {@code m.a, m.a.b} (moto answers the item instead). */
    private static final Map<String, Object> OVERLAP_ERROR = Map.of("error", "DynamoDbException",
            "code", "ValidationException", "status", 400, "message", "Invalid ProjectionExpression: Two document "
                    + "paths overlap with each other; must remove or rewrite one of these paths; path one: [m, a], "
                    + "path two: [m, a, b]");

    private final Gen gen;

    ItemSteps(Gen gen) {
        this.gen = gen;
    }

    Step putMain(int index) {
        int partition = gen.partition();
        int sort = gen.sort();
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(Schema.MAIN)
                .item(gen.values.mainItem(partition, sort));
        Placeholders p = new Placeholders();
        if (gen.chance(50)) {
            request.conditionExpression(gen.chance(40)
                    ? "attribute_not_exists(" + gen.paths.render(gen.pick(List.of("pk", "sk")), p) + ")"
                    : gen.conditions.main(p));
            onConditionFailure(request::returnValuesOnConditionCheckFailure);
        }
        if (gen.chance(50)) {
            request.returnValues(gen.pick(List.of(ReturnValue.NONE, ReturnValue.ALL_OLD)));
        }
        PutItemRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values())
                .build();
        return new Step(index, "PutItem", built.toString(), Set.of(), null, c -> tree(c.putItem(built)));
    }

    Step putCounter(int index) {
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(Schema.COUNTERS)
                .item(gen.values.counterItem(gen.counter()));
        Placeholders p = new Placeholders();
        if (gen.chance(50)) {
            request.conditionExpression(gen.conditions.counters(p));
        }
        request.returnValues(gen.pick(List.of(ReturnValue.NONE, ReturnValue.ALL_OLD)));
        PutItemRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values())
                .build();
        return new Step(index, "PutItem", built.toString(), Set.of(), null, c -> tree(c.putItem(built)));
    }

    Step updateMain(int index) {
        int partition = gen.partition();
        int sort = gen.sort();
        Placeholders p = new Placeholders();
        boolean failing = gen.chance(12);
        Updates.Update update = failing ? gen.updates.mainFailing(p)
                : gen.updates.main(p, Schema.itemNumber(partition, sort), sort);
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(Schema.MAIN)
                .key(Schema.mainKey(partition, sort))
                .updateExpression(update.expression());
        if (update.condition() != null) {
            request.conditionExpression(update.condition());
        } else if (!failing && gen.chance(40)) {
            // Not on failing updates: DynamoDB refuses a bad expression before it reads the item.
            request.conditionExpression(gen.conditions.main(p));
            onConditionFailure(request::returnValuesOnConditionCheckFailure);
        }
        if (gen.chance(70)) {
            request.returnValues(gen.pick(List.of(ReturnValue.NONE, ReturnValue.ALL_OLD, ReturnValue.UPDATED_OLD,
                    ReturnValue.ALL_NEW, ReturnValue.UPDATED_NEW)));
        }
        UpdateItemRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values())
                .build();
        return withUnchanged(new Step(index, "UpdateItem", built.toString(), updateTags(update, built), null,
                c -> tree(c.updateItem(built))).withUpdated(new ItemRef(Schema.MAIN, built.key())), built, update);
    }

    Step updateCounter(int index) {
        Placeholders p = new Placeholders();
        Updates.Update update = gen.updates.counters(p);
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(Schema.COUNTERS)
                .key(Schema.counterKey(gen.counter()))
                .updateExpression(update.expression())
                .returnValues(gen.pick(List.of(ReturnValue.NONE, ReturnValue.ALL_OLD, ReturnValue.UPDATED_OLD,
                        ReturnValue.ALL_NEW, ReturnValue.UPDATED_NEW)));
        if (gen.chance(40)) {
            request.conditionExpression(gen.conditions.counters(p));
        }
        UpdateItemRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values())
                .build();
        return withUnchanged(new Step(index, "UpdateItem", built.toString(), updateTags(update, built), null,
                c -> tree(c.updateItem(built))).withUpdated(new ItemRef(Schema.COUNTERS, built.key())), built, update);
    }

    Step deleteMain(int index) {
        Placeholders p = new Placeholders();
        DeleteItemRequest.Builder request = DeleteItemRequest.builder().tableName(Schema.MAIN)
                .key(Schema.mainKey(gen.partition(), gen.sort()));
        if (gen.chance(50)) {
            request.conditionExpression(gen.chance(30)
                    ? "attribute_exists(" + gen.paths.render("pk", p) + ")" : gen.conditions.main(p));
            onConditionFailure(request::returnValuesOnConditionCheckFailure);
        }
        if (gen.chance(60)) {
            request.returnValues(gen.pick(List.of(ReturnValue.NONE, ReturnValue.ALL_OLD)));
        }
        DeleteItemRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values())
                .build();
        return new Step(index, "DeleteItem", built.toString(), Set.of(), null, c -> tree(c.deleteItem(built)));
    }

    Step deleteCounter(int index) {
        Placeholders p = new Placeholders();
        DeleteItemRequest.Builder request = DeleteItemRequest.builder().tableName(Schema.COUNTERS)
                .key(Schema.counterKey(gen.counter()))
                .returnValues(ReturnValue.ALL_OLD);
        if (gen.chance(50)) {
            request.conditionExpression(gen.conditions.counters(p));
        }
        DeleteItemRequest built = request.expressionAttributeNames(p.names()).expressionAttributeValues(p.values())
                .build();
        return new Step(index, "DeleteItem", built.toString(), Set.of(), null, c -> tree(c.deleteItem(built)));
    }

    Step getMain(int index) {
        Placeholders p = new Placeholders();
        GetItemRequest.Builder request = GetItemRequest.builder().tableName(Schema.MAIN)
                .key(Schema.mainKey(gen.partition(), gen.sort()))
                .consistentRead(gen.chance(50) ? Boolean.TRUE : null);
        boolean overlapping = gen.chance(3);
        if (overlapping) {
            // Overlapping paths, to compare the refusal.
            request.projectionExpression(gen.paths.projection("m.a", p) + ", " + gen.paths.projection("m.a.b", p));
        } else if (gen.chance(60)) {
            request.projectionExpression(projection(p));
        }
        GetItemRequest built = request.expressionAttributeNames(p.names()).build();
        Step step = new Step(index, "GetItem", built.toString(), Set.of(), null, c -> tree(c.getItem(built)));
        return overlapping
                ? step.withFix(Deviation.MOTO_ACCEPTS_OVERLAPPING_PROJECTION, (answer, moto) -> OVERLAP_ERROR)
                : step;
    }

    Step getCounter(int index) {
        GetItemRequest built = GetItemRequest.builder().tableName(Schema.COUNTERS)
                .key(Schema.counterKey(gen.counter())).build();
        return new Step(index, "GetItem", built.toString(), Set.of(), null, c -> tree(c.getItem(built)));
    }

    /** One to four paths on distinct top-level attributes (DynamoDB refuses overlapping paths). */
    String projection(Placeholders p) {
        Set<String> tops = new HashSet<>();
        Set<String> chosen = new LinkedHashSet<>();
        int wanted = 1 + gen.below(4);
        for (int i = 0; i < wanted * 2 && chosen.size() < wanted; i++) {
            String path = gen.pick(PROJECTABLE);
            if (tops.add(path.split("[.\\[]")[0])) {
                chosen.add(path);
            }
        }
        List<String> rendered = new ArrayList<>();
        chosen.forEach(path -> rendered.add(gen.paths.projection(path, p)));
        return String.join(", ", rendered);
    }

    /**
     * For ReturnValues UPDATED_OLD / UPDATED_NEW DynamoDB returns, for each path the update wrote, its old or new
     * value nested as in the item; moto leaves out values that did not change and answers whole top-level
     * attributes for nested paths. The expected attributes are the update's target paths projected from moto's
     * item before or after the update, except for UPDATED_NEW of a list index (a SET past the end appends, a
     * REMOVE shifts, so the new value at that index is not what was written): moto's answer is kept there.
     */
    private static Step withUnchanged(Step step, UpdateItemRequest request, Updates.Update update) {
        boolean old = request.returnValues() == ReturnValue.UPDATED_OLD;
        if (!old && request.returnValues() != ReturnValue.UPDATED_NEW) {
            return step;
        }
        return step.withFix(Deviation.MOTO_UPDATED_VALUES, (answer, moto) -> {
            Map<String, Object> source = old ? moto.before() : moto.after();
            if (moto.outcome().isError() || !old && update.targets().stream().anyMatch(t -> t.contains("["))) {
                return answer;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> derived = source == null ? Map.of() : (Map<String, Object>) KnownDeviations
                    .canonical(Projector.project(source, String.join(", ", update.targets()),
                            request.expressionAttributeNames()));
            Map<String, Object> fixed = new java.util.TreeMap<>(answer);
            fixed.remove("Attributes");
            Tree.putIfPresent(fixed, "Attributes", derived);
            return fixed;
        });
    }

    private static Set<String> updateTags(Updates.Update update, UpdateItemRequest request) {
        Set<String> tags = new HashSet<>(update.tags());
        if (request.returnValues() == ReturnValue.UPDATED_NEW) {
            tags.add(Step.UPDATED_NEW);
        } else if (request.returnValues() == ReturnValue.ALL_NEW) {
            tags.add(Step.ALL_NEW);
        }
        return Set.copyOf(tags);
    }

    private void onConditionFailure(java.util.function.Consumer<ReturnValuesOnConditionCheckFailure> setter) {
        if (gen.chance(40)) {
            setter.accept(gen.pick(List.of(ReturnValuesOnConditionCheckFailure.ALL_OLD,
                    ReturnValuesOnConditionCheckFailure.NONE)));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(Object response) {
        return (Map<String, Object>) Tree.of(response);
    }

    static Map<String, AttributeValue> key(Map<String, AttributeValue> item, String... names) {
        Map<String, AttributeValue> key = new java.util.LinkedHashMap<>();
        for (String name : names) {
            key.put(name, item.get(name));
        }
        return key;
    }
}
