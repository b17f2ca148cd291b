package com.pisync.dynamodb.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.expression.Condition;
import com.pisync.dynamodb.expression.ExpressionAttributes;
import com.pisync.dynamodb.expression.Expressions;
import com.pisync.dynamodb.expression.KeyCondition;
import com.pisync.dynamodb.expression.Legacy;
import com.pisync.dynamodb.expression.Projection;
import com.pisync.dynamodb.expression.Update;
import com.pisync.dynamodb.table.KeySchema;
import com.pisync.dynamodb.value.Value;
import com.pisync.dynamodb.value.ValueJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The bridge to the expression package: picks the expression or legacy parameters a request may carry,
 * refuses mixing the two kinds (with DynamoDB's message), parses them with the request's shared
 * ExpressionAttributeNames/Values and checks that every placeholder was used.
 */
public final class RequestExpressionParser implements ExpressionParser {

    @Override
    public ParsedExpressions parse(JsonNode r, ExpressionKind kind, KeySchema queryKeys) {
        List<String> expressionParams = new ArrayList<>();
        List<String> legacyParams = new ArrayList<>();
        collect(r, kind, expressionParams, legacyParams);
        if (!expressionParams.isEmpty() && !legacyParams.isEmpty()) {
            throw DynamoException.validation("Can not use both expression and non-expression parameters in the same request: "
                    + "Non-expression parameters: {" + String.join(", ", legacyParams) + "} Expression parameters: {"
                    + String.join(", ", expressionParams) + "}");
        }
        boolean hasNames = present(r, "ExpressionAttributeNames");
        boolean hasValues = present(r, "ExpressionAttributeValues");
        if (expressionParams.isEmpty()) {
            if (hasNames) {
                throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
            }
            if (hasValues) {
                throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions");
            }
            return legacyParams.isEmpty() ? (kind == ExpressionKind.QUERY ? missingKeyCondition() : ParsedExpressions.NONE)
                    : legacy(r, kind, queryKeys);
        }
        ExpressionAttributes attributes = new ExpressionAttributes(names(r), values(r));
        Predicate<Map<String, Value>> condition = null;
        Predicate<Map<String, Value>> filter = null;
        KeyRange keyRange = null;
        UnaryOperator<Map<String, Value>> projection = null;
        ItemUpdate update = null;
        String updateText = text(r, "UpdateExpression");
        if (kind == ExpressionKind.UPDATE && updateText != null) {
            update = adapt(Expressions.update(updateText, attributes));
        }
        String conditionText = text(r, "ConditionExpression");
        if (conditionText != null && allowsCondition(kind)) {
            Condition c = Expressions.condition(conditionText, attributes);
            condition = c::test;
        }
        String keyText = text(r, "KeyConditionExpression");
        if (kind == ExpressionKind.QUERY) {
            if (keyText == null) {
                return missingKeyCondition();
            }
            keyRange = adapt(Expressions.keyCondition(keyText, attributes, queryKeys.partitionName(), queryKeys.sortName()));
        }
        String filterText = text(r, "FilterExpression");
        if (filterText != null && (kind == ExpressionKind.QUERY || kind == ExpressionKind.SCAN)) {
            Condition f = Expressions.condition(filterText, attributes);
            filter = f::test;
        }
        String projectionText = text(r, "ProjectionExpression");
        if (projectionText != null && allowsProjection(kind)) {
            Projection p = Expressions.projection(projectionText, attributes);
            projection = p::apply;
        }
        attributes.checkAllUsed();
        return new ParsedExpressions(condition, filter, keyRange, projection, update);
    }

    private static ParsedExpressions legacy(JsonNode r, ExpressionKind kind, KeySchema queryKeys) {
        String operator = text(r, "ConditionalOperator");
        Predicate<Map<String, Value>> condition = null;
        Predicate<Map<String, Value>> filter = null;
        KeyRange keyRange = null;
        UnaryOperator<Map<String, Value>> projection = null;
        ItemUpdate update = null;
        if (allowsCondition(kind) && present(r, "Expected")) {
            Condition c = Legacy.expected(r.get("Expected"), operator);
            condition = c::test;
        }
        if (kind == ExpressionKind.UPDATE && present(r, "AttributeUpdates")) {
            update = adapt(Legacy.attributeUpdates(r.get("AttributeUpdates")));
        }
        if (kind == ExpressionKind.QUERY) {
            if (!present(r, "KeyConditions")) {
                return missingKeyCondition();
            }
            keyRange = adapt(Legacy.keyConditions(r.get("KeyConditions"), queryKeys.partitionName(), queryKeys.sortName()));
            if (present(r, "QueryFilter")) {
                Condition f = Legacy.filter(r.get("QueryFilter"), operator);
                filter = f::test;
            }
        }
        if (kind == ExpressionKind.SCAN && present(r, "ScanFilter")) {
            Condition f = Legacy.filter(r.get("ScanFilter"), operator);
            filter = f::test;
        }
        if (allowsProjection(kind) && present(r, "AttributesToGet")) {
            Projection p = Legacy.attributesToGet(r.get("AttributesToGet"));
            projection = p::apply;
        }
        return new ParsedExpressions(condition, filter, keyRange, projection, update);
    }

    private static ParsedExpressions missingKeyCondition() {
        throw DynamoException.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    }

    private static void collect(JsonNode r, ExpressionKind kind, List<String> expressions, List<String> legacy) {
        switch (kind) {
            case PUT:
            case DELETE:
            case CONDITION_CHECK:
                add(r, legacy, "Expected");
                add(r, expressions, "ConditionExpression");
                break;
            case UPDATE:
                add(r, legacy, "AttributeUpdates");
                add(r, legacy, "Expected");
                add(r, expressions, "UpdateExpression");
                add(r, expressions, "ConditionExpression");
                break;
            case GET:
                add(r, legacy, "AttributesToGet");
                add(r, expressions, "ProjectionExpression");
                break;
            case QUERY:
                add(r, legacy, "AttributesToGet");
                add(r, legacy, "QueryFilter");
                add(r, legacy, "KeyConditions");
                add(r, expressions, "ProjectionExpression");
                add(r, expressions, "FilterExpression");
                add(r, expressions, "KeyConditionExpression");
                break;
            case SCAN:
                add(r, legacy, "AttributesToGet");
                add(r, legacy, "ScanFilter");
                add(r, expressions, "ProjectionExpression");
                add(r, expressions, "FilterExpression");
                break;
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    private static void add(JsonNode r, List<String> list, String field) {
        if (present(r, field)) {
            list.add(field);
        }
    }

    private static boolean allowsCondition(ExpressionKind kind) {
        return kind == ExpressionKind.PUT || kind == ExpressionKind.DELETE || kind == ExpressionKind.UPDATE
                || kind == ExpressionKind.CONDITION_CHECK;
    }

    private static boolean allowsProjection(ExpressionKind kind) {
        return kind == ExpressionKind.GET || kind == ExpressionKind.QUERY || kind == ExpressionKind.SCAN;
    }

    private static boolean present(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v != null && !v.isNull();
    }

    private static String text(JsonNode r, String field) {
        return Validation.text(r, field);
    }

    private static Map<String, String> names(JsonNode r) {
        JsonNode node = Validation.object(r, "ExpressionAttributeNames");
        if (node == null) {
            return null;
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            names.put(e.getKey(), e.getValue().asText());
        }
        return names;
    }

    private static Map<String, Value> values(JsonNode r) {
        JsonNode node = Validation.object(r, "ExpressionAttributeValues");
        if (node == null) {
            return null;
        }
        Map<String, Value> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), ValueJson.value(e.getValue()));
        }
        return values;
    }

    private static KeyRange adapt(KeyCondition k) {
        KeyCondition.SortKeyCondition s = k.sortKey();
        if (s == null) {
            return new KeyRange(k.partitionValue(), null, null, null, null);
        }
        return new KeyRange(k.partitionValue(), s.operator().name(), s.low(), s.high(), s::test);
    }

    private static ItemUpdate adapt(Update u) {
        return new ItemUpdate() {
            @Override
            public Map<String, Value> apply(Map<String, Value> current) {
                return u.apply(current);
            }

            @Override
            public Set<String> topLevelAttributes() {
                return u.topLevelAttributes();
            }

            @Override
            public Map<String, Value> updatedPart(Map<String, Value> item) {
                return u.updatedPart(item);
            }
        };
    }
}
