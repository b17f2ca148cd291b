package com.pisync.dynamodb.differential;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What one server answered to one step, as a {@link Tree}: either the response's data or the error —
 * {@code error} (the SDK exception class, i.e. what a Java caller catches), {@code code} (DynamoDB's error
 * code), {@code message}, {@code status}, plus a cancelled transaction's reasons or a failed condition's item.
 */
record Outcome(Map<String, Object> tree) {

    static Outcome run(Function<DynamoDbClient, Map<String, Object>> call, DynamoDbClient client) {
        try {
            return new Outcome(call.apply(client));
        } catch (AwsServiceException e) {
            return new Outcome(error(e));
        } catch (SdkException e) {
            // The SDK could not make sense of the answer (or reach the server): always a finding.
            Map<String, Object> tree = new TreeMap<>();
            tree.put("clientError", e.getClass().getSimpleName());
            tree.put("message", String.valueOf(e.getMessage()));
            return new Outcome(tree);
        }
    }

    boolean isError() {
        return tree.containsKey("error") || tree.containsKey("clientError");
    }

    Object get(String member) {
        return tree.get(member);
    }

    private static Map<String, Object> error(AwsServiceException e) {
        Map<String, Object> tree = new TreeMap<>();
        tree.put("error", e.getClass().getSimpleName());
        Tree.putIfPresent(tree, "code", e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode());
        Tree.putIfPresent(tree, "message", e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage());
        tree.put("status", e.statusCode());
        if (e instanceof TransactionCanceledException cancelled) {
            Tree.putIfPresent(tree, "CancellationReasons", Tree.of(cancelled.cancellationReasons()));
        }
        if (e instanceof ConditionalCheckFailedException failed) {
            Tree.putIfPresent(tree, "Item", Tree.of(failed.item()));
        }
        return tree;
    }

    @Override
    public String toString() {
        return tree.toString();
    }
}
