package com.pisync.dynamodb.expression;

/**
 * Entry points: parse and validate an expression of a request against its {@link ExpressionAttributes}.
 * Every error is a ValidationException with DynamoDB's message. Call
 * {@link ExpressionAttributes#checkAllUsed()} once all of a request's expressions are parsed.
 */
public final class Expressions {

    private Expressions() {
    }

    /** A ConditionExpression; errors read "Invalid ConditionExpression: ...". */
    public static Condition condition(String expression, ExpressionAttributes attributes) {
        return new ConditionParser("ConditionExpression", expression, attributes).parse();
    }

    /** A FilterExpression: the same language as conditions; errors read "Invalid FilterExpression: ...". */
    public static Condition filter(String expression, ExpressionAttributes attributes) {
        return new ConditionParser("FilterExpression", expression, attributes).parse();
    }

    /**
     * A KeyConditionExpression on a table or index whose key is {@code partitionKey} and {@code sortKey}
     * (null when it has none).
     */
    public static KeyCondition keyCondition(String expression, ExpressionAttributes attributes, String partitionKey,
            String sortKey) {
        ConditionNode node = new ConditionParser("KeyConditionExpression", expression, attributes).parse();
        return KeyConditions.fromExpression(node, partitionKey, sortKey);
    }

    public static Projection projection(String expression, ExpressionAttributes attributes) {
        return new PathProjection(new ProjectionParser(expression, attributes).parse());
    }

    public static Update update(String expression, ExpressionAttributes attributes) {
        return new ExpressionUpdate(new UpdateParser(expression, attributes).parse());
    }
}
