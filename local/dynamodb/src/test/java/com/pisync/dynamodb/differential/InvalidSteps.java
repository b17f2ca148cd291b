package com.pisync.dynamodb.differential;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Requests DynamoDB refuses, with the ValidationException (or ResourceNotFoundException) it answers. Where moto
 * answers differently, the step carries DynamoDB's answer as a fix under
 * {@link Deviation#MOTO_VALIDATION_DIFFERS}, from the sources named there; a write moto performs although
 * DynamoDB refuses it is undone on moto ({@link Step#REFUSED}).
 */
final class InvalidSteps {

    private static final String KEY_SCHEMA = "The provided key element does not match the schema";

    private final Gen gen;

    InvalidSteps(Gen gen) {
        this.gen = gen;
    }

    Step any(int index) {
        return switch (gen.below(16)) {
            case 0 -> getItem(index, Map.of("pk", Schema.s("p0")), KEY_SCHEMA);
            case 1 -> getItem(index, Map.of("pk", Schema.n("1"), "sk", Schema.s("a#0")), KEY_SCHEMA);
            case 2 -> getItem(index, Map.of("pk", Schema.s("p0"), "sk", Schema.s("a#0"), "n", Schema.n("1")),
                    KEY_SCHEMA);
            case 3 -> putItem(index, item("pk", Schema.s("p1")), null);
            case 4 -> putItem(index, item("pk", Schema.n("1"), "sk", Schema.s("a#0")), null);
            case 5 -> putItem(index, item("pk", Schema.s(""), "sk", Schema.s("a#0")), "One or more parameter "
                    + "values are not valid. The AttributeValue for a key attribute cannot contain an empty string "
                    + "value. Key: pk");
            case 6 -> putItem(index, main("gsk", Schema.s("x")), "One or more parameter values were invalid: Type "
                    + "mismatch for Index Key gsk Expected: N Actual: S IndexName: " + Schema.BY_GROUP);
            case 7 -> putItem(index, main("ss", AttributeValue.fromSs(List.of("a", "a"))),
                    "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
            case 8 -> putItem(index, main("ss", AttributeValue.fromSs(List.of())), null);
            case 9 -> putItem(index, main("n", Schema.n("1234567890123456789012345678901234567890")),
                    "Attempting to store more than 38 significant digits in a Number");
            case 10 -> updateGroupSortKey(index);
            case 11 -> conditionPlaceholder(index);
            case 12 -> projectionPlaceholder(index);
            case 13 -> query(index, QueryRequest.builder().tableName(Schema.MAIN).indexName("Nope")
                    .keyConditionExpression("pk = :v0").expressionAttributeValues(Map.of(":v0", Schema.s("p0")))
                    .build(), "The table does not have the specified index: Nope");
            case 14 -> query(index, QueryRequest.builder().tableName(Schema.MAIN)
                    .keyConditionExpression("pk = :v0 AND sk BETWEEN :v1 AND :v2")
                    .expressionAttributeValues(Map.of(":v0", Schema.s("p0"), ":v1", Schema.s("b#3"),
                            ":v2", Schema.s("a#1"))).build(),
                    "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or "
                            + "equal to lower bound; lower bound operand: AttributeValue: {S:b#3}, upper bound "
                            + "operand: AttributeValue: {S:a#1}");
            default -> query(index, QueryRequest.builder().tableName(Schema.MAIN).indexName(Schema.BY_GROUP)
                    .keyConditionExpression("gpk = :v0").consistentRead(true)
                    .expressionAttributeValues(Map.of(":v0", Schema.s("g0"))).build(), null);
        };
    }

    private Step getItem(int index, Map<String, AttributeValue> key, String message) {
        GetItemRequest built = GetItemRequest.builder().tableName(Schema.MAIN).key(key).build();
        return expect(new Step(index, "GetItem", built.toString(), Set.of(), null,
                c -> ItemSteps.tree(c.getItem(built))), message);
    }

    private Step putItem(int index, Map<String, AttributeValue> item, String message) {
        PutItemRequest built = PutItemRequest.builder().tableName(Schema.MAIN).item(item).build();
        Step step = new Step(index, "PutItem", built.toString(), Set.of(Step.REFUSED), null,
                c -> ItemSteps.tree(c.putItem(built)));
        return expect(item.get("pk").s() != null && item.containsKey("sk") && !item.get("pk").s().isEmpty()
                ? step.withUpdated(new ItemRef(Schema.MAIN, ItemSteps.key(item, "pk", "sk"))) : step, message);
    }

    /** SET of an index key with the wrong type: moto names it as a table key, without the index. */
    private Step updateGroupSortKey(int index) {
        Map<String, AttributeValue> key = Schema.mainKey(gen.partition(), gen.sort());
        UpdateItemRequest built = UpdateItemRequest.builder().tableName(Schema.MAIN).key(key)
                .updateExpression("SET gsk = :v0").expressionAttributeValues(Map.of(":v0", Schema.s("x"))).build();
        return expect(new Step(index, "UpdateItem", built.toString(), Set.of(Step.REFUSED), null,
                        c -> ItemSteps.tree(c.updateItem(built))).withUpdated(new ItemRef(Schema.MAIN, key)),
                "One or more parameter values were invalid: Type mismatch for Index Key gsk Expected: N Actual: S "
                        + "IndexName: " + Schema.BY_GROUP);
    }

    /** A ConditionExpression with an undefined #name or :value (moto fails with an internal error). */
    private Step conditionPlaceholder(int index) {
        boolean name = gen.chance(50);
        Map<String, AttributeValue> item = main("n", Schema.n("1"));
        PutItemRequest built = PutItemRequest.builder().tableName(Schema.MAIN).item(item)
                .conditionExpression(name ? "#q = :v0" : "n = :q")
                .expressionAttributeValues(name ? Map.of(":v0", Schema.n("1")) : null).build();
        Step step = new Step(index, "PutItem", built.toString(), Set.of(Step.REFUSED), null,
                c -> ItemSteps.tree(c.putItem(built))).withUpdated(new ItemRef(Schema.MAIN,
                ItemSteps.key(item, "pk", "sk")));
        return expect(step, name
                ? "Invalid ConditionExpression: An expression attribute name used in the document path is not "
                        + "defined; attribute name: #q"
                : "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
                        + "attribute value: :q");
    }

    /** A ProjectionExpression with an undefined #name or a bare reserved word (moto answers the item). */
    private Step projectionPlaceholder(int index) {
        boolean name = gen.chance(50);
        GetItemRequest built = GetItemRequest.builder().tableName(Schema.MAIN)
                .key(Schema.mainKey(gen.partition(), gen.sort())).projectionExpression(name ? "#q" : "status")
                .build();
        return expect(new Step(index, "GetItem", built.toString(), Set.of(), null,
                c -> ItemSteps.tree(c.getItem(built))), name
                ? "Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                        + "defined; attribute name: #q"
                : "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status");
    }

    private Step query(int index, QueryRequest built, String message) {
        return expect(new Step(index, "Query", built.toString(), Set.of(), null,
                c -> ItemSteps.tree(c.query(built))), message);
    }

    /** The step, with DynamoDB's ValidationException message where moto's answer is known to differ. */
    private static Step expect(Step step, String message) {
        if (message == null) {
            return step;
        }
        Map<String, Object> error = new TreeMap<>(Map.of("error", "DynamoDbException", "code", "ValidationException",
                "status", 400, "message", message));
        return step.withFix(Deviation.MOTO_VALIDATION_DIFFERS, (answer, moto) -> error);
    }

    /** A valid Main item but for the one attribute given. */
    private Map<String, AttributeValue> main(String name, AttributeValue value) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Schema.mainKey(gen.partition(), gen.sort()));
        item.put(name, value);
        return item;
    }

    private static Map<String, AttributeValue> item(Object... namesAndValues) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return item;
    }
}
