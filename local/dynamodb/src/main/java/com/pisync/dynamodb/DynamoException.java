package com.pisync.dynamodb;

import java.util.Map;

/**
 * An error DynamoDB would answer, with its wire type and message. The protocol layer writes it as
 * {@code {"__type": "<prefix>#<type>", "message": "..."}} with the type's HTTP status; extra fields (such as
 * a transaction's cancellation reasons or a condition failure's item) ride in {@link #extra()}.
 */
public class DynamoException extends RuntimeException {

    private final String type;
    private final Map<String, Object> extra;

    public DynamoException(String type, String message) {
        this(type, message, Map.of());
    }

    public DynamoException(String type, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.type = type;
        this.extra = extra;
    }

    /** Short type name, e.g. {@code ValidationException}, {@code ConditionalCheckFailedException}. */
    public String type() {
        return type;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    /** The {@code __type} DynamoDB sends: validation errors come from the Coral framework's namespace. */
    public String wireType() {
        return switch (type) {
            case "ValidationException" -> "com.amazon.coral.validate#" + type;
            case "SerializationException", "UnknownOperationException", "MissingAuthenticationTokenException",
                    "AccessDeniedException", "InternalFailure" -> "com.amazon.coral.service#" + type;
            default -> "com.amazonaws.dynamodb.v20120810#" + type;
        };
    }

    /** DynamoDB answers every client error with 400 and its own failures with 500. */
    public int httpStatus() {
        return switch (type) {
            case "InternalServerError" -> 500;
            case "ServiceUnavailable" -> 503;
            default -> 400;
        };
    }

    public static DynamoException validation(String message) {
        return new DynamoException("ValidationException", message);
    }

    public static DynamoException resourceNotFound(String message) {
        return new DynamoException("ResourceNotFoundException", message);
    }

    public static DynamoException resourceInUse(String message) {
        return new DynamoException("ResourceInUseException", message);
    }

    public static DynamoException conditionalCheckFailed() {
        return new DynamoException("ConditionalCheckFailedException", "The conditional request failed");
    }
}
