package com.pisync.stats;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Counts the items of successful TransactWriteItems calls. Counted at the client so the
 * figure does not depend on the server's ReturnConsumedCapacity (DynamoDB charges 2 WCU per item up to 1 KB).
 */
final class TransactItemCounter implements ExecutionInterceptor {

    private final AtomicLong items = new AtomicLong();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest r) {
            items.addAndGet(r.transactItems().size());
        }
    }

    long items() {
        return items.get();
    }

    void reset() {
        items.set(0);
    }
}
