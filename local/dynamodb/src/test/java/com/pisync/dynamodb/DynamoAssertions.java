package com.pisync.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Checks an SDK call fails with DynamoDB's exact message and a 400. */
public final class DynamoAssertions {

    private DynamoAssertions() {
    }

    public static DynamoDbException assertMessage(String expected, Executable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call);
        assertEquals(expected, e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        return e;
    }
}
