package com.pisync.dynamodb.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-expression parameters (AttributesToGet, Expected, QueryFilter/ScanFilter, KeyConditions,
 * AttributeUpdates) mapped onto the expression types, with DynamoDB's validation of their shape. JSON is as in
 * the request (values in DynamoDB JSON).
 */
public final class Legacy {

    private static final String INVALID = "One or more parameter values were invalid: ";

    private Legacy() {
    }

    /** Expected: per attribute, Value/Exists or ComparisonOperator with Value or AttributeValueList. */
    public static Condition expected(JsonNode expected, String conditionalOperator) {
        List<ConditionNode> terms = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            terms.add(expectedTerm(e.getKey(), e.getValue()));
        }
        return combine(terms, conditionalOperator);
    }

    /** QueryFilter or ScanFilter: per attribute, ComparisonOperator and AttributeValueList. */
    public static Condition filter(JsonNode conditions, String conditionalOperator) {
        List<ConditionNode> terms = new ArrayList<>();
        for (Map.Entry<String, LegacyComparison> e : comparisons(conditions).entrySet()) {
            terms.add(e.getValue().toCondition(e.getKey()));
        }
        return combine(terms, conditionalOperator);
    }

    /** KeyConditions of a Query on a key of {@code partitionKey} and {@code sortKey} (null when none). */
    public static KeyCondition keyConditions(JsonNode keyConditions, String partitionKey, String sortKey) {
        Map<String, LegacyComparison> comparisons = comparisons(keyConditions);
        if (comparisons.isEmpty() || comparisons.size() > 2) {
            throw DynamoException.validation("Conditions can be of length 1 or 2 only");
        }
        Map<String, KeyConditions.Term> terms = new LinkedHashMap<>();
        for (Map.Entry<String, LegacyComparison> e : comparisons.entrySet()) {
            terms.put(e.getKey(), e.getValue().toKeyTerm());
        }
        return KeyConditions.build(terms, partitionKey, sortKey);
    }

    /** AttributeUpdates: per attribute, Action PUT (the default), ADD or DELETE, with a Value. */
    public static Update attributeUpdates(JsonNode attributeUpdates) {
        List<LegacyUpdate.Action> actions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = attributeUpdates.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode spec = e.getValue();
            Value value = present(spec, "Value") ? ValueJson.value(spec.get("Value")) : null;
            String action = present(spec, "Action") ? spec.get("Action").asText() : "PUT";
            if (!Set.of("PUT", "ADD", "DELETE").contains(action)) {
                throw DynamoException.validation("1 validation error detected: Value '" + action + "' at "
                        + "'attributeUpdates." + e.getKey() + ".member.action' failed to satisfy constraint: Member "
                        + "must satisfy enum value set: [ADD, PUT, DELETE]");
            }
            if (value == null && !action.equals("DELETE")) {
                throw DynamoException.validation(INVALID + "Only DELETE action is allowed when no attribute value is "
                        + "specified");
            }
            if (value != null && action.equals("DELETE") && !isSet(value)) {
                throw DynamoException.validation(INVALID + "DELETE action with value is not supported for the type "
                        + value.type());
            }
            if (value != null && action.equals("ADD") && !isSet(value) && !(value instanceof Value.N)
                    && !(value instanceof Value.L)) {
                throw DynamoException.validation(INVALID + "ADD action is not supported for the type " + value.type());
            }
            actions.add(new LegacyUpdate.Action(e.getKey(), action, value));
        }
        return new LegacyUpdate(actions);
    }

    /** AttributesToGet: a list of top-level attribute names; duplicates are refused. */
    public static Projection attributesToGet(JsonNode attributesToGet) {
        List<Path> paths = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode n : attributesToGet) {
            String name = n.asText();
            if (!seen.add(name)) {
                throw DynamoException.validation(INVALID + "Duplicate value in attribute name: " + name);
            }
            paths.add(Path.of(name));
        }
        return new PathProjection(paths);
    }

    // ---- Expected

    private static ConditionNode expectedTerm(String attribute, JsonNode condition) {
        boolean hasList = condition.has("AttributeValueList");
        boolean hasValue = condition.has("Value");
        if (hasList && hasValue) {
            throw DynamoException.validation(INVALID + "Value and AttributeValueList cannot be used together for "
                    + "Attribute: " + attribute);
        }
        if (present(condition, "ComparisonOperator")) {
            if (condition.has("Exists")) {
                throw DynamoException.validation(INVALID + "Exists and ComparisonOperator cannot be used together "
                        + "for Attribute: " + attribute);
            }
            String operator = operator(condition, "expected", attribute);
            if (!operator.equals("NULL") && !operator.equals("NOT_NULL") && !hasList && !hasValue) {
                throw DynamoException.validation(INVALID + "Value or AttributeValueList must be used with "
                        + "ComparisonOperator: " + operator + " for Attribute: " + attribute);
            }
            List<Value> values = new ArrayList<>();
            if (hasList) {
                for (JsonNode v : condition.get("AttributeValueList")) {
                    values.add(ValueJson.value(v));
                }
            } else if (present(condition, "Value")) {
                values.add(ValueJson.value(condition.get("Value")));
            }
            return new LegacyComparison(operator, values, false).toCondition(attribute);
        }
        if (hasList) {
            throw DynamoException.validation(INVALID + "AttributeValueList can only be used with a ComparisonOperator "
                    + "for Attribute: " + attribute);
        }
        JsonNode existsNode = condition.get("Exists");
        boolean existsGiven = existsNode != null && !existsNode.isNull();
        boolean exists = !existsGiven || existsNode.asBoolean();
        boolean valueGiven = present(condition, "Value");
        if (exists && !valueGiven) {
            throw DynamoException.validation(INVALID + "Value must be provided when Exists is "
                    + (existsGiven ? "true" : "null") + " for Attribute: " + attribute);
        }
        if (!exists && valueGiven) {
            throw DynamoException.validation(INVALID + "Value cannot be used when Exists is false for Attribute: "
                    + attribute);
        }
        if (!exists) {
            return new LegacyComparison("NULL", List.of(), false).toCondition(attribute);
        }
        return new LegacyComparison("EQ", List.of(ValueJson.value(condition.get("Value"))), false)
                .toCondition(attribute);
    }

    // ---- QueryFilter, ScanFilter, KeyConditions

    private static Map<String, LegacyComparison> comparisons(JsonNode conditions) {
        Map<String, LegacyComparison> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = conditions.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            String operator = operator(c, "conditions", e.getKey());
            List<Value> values = new ArrayList<>();
            if (present(c, "AttributeValueList")) {
                for (JsonNode v : c.get("AttributeValueList")) {
                    values.add(ValueJson.value(v));
                }
            }
            out.put(e.getKey(), new LegacyComparison(operator, values, true));
        }
        return out;
    }

    private static String operator(JsonNode condition, String parameter, String attribute) {
        JsonNode op = condition.get("ComparisonOperator");
        String member = "'" + parameter + "." + attribute + ".member.comparisonOperator'";
        if (op == null || op.isNull()) {
            throw DynamoException.validation("1 validation error detected: Value null at " + member
                    + " failed to satisfy constraint: Member must not be null");
        }
        String name = op.asText();
        if (!LegacyComparison.OPERATORS.contains(name)) {
            throw DynamoException.validation("1 validation error detected: Value '" + name + "' at " + member
                    + " failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, "
                    + "NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
        }
        return name;
    }

    private static Condition combine(List<ConditionNode> terms, String conditionalOperator) {
        boolean or = "OR".equals(conditionalOperator);
        if (terms.isEmpty()) {
            return item -> true;
        }
        ConditionNode result = terms.get(terms.size() - 1);
        for (int i = terms.size() - 2; i >= 0; i--) {
            result = or ? new ConditionNode.Or(terms.get(i), result) : new ConditionNode.And(terms.get(i), result);
        }
        return result;
    }

    static boolean present(JsonNode node, String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    static boolean isSet(Value v) {
        return v instanceof Value.SS || v instanceof Value.NS || v instanceof Value.BS;
    }
}
