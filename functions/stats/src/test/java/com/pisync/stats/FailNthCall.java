package com.pisync.stats;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Fails the n-th call of one operation, either before it is sent (nothing happened) or after the
 * server did it (the caller never hears back, like a timeout on the way back).
 */
final class FailNthCall implements ExecutionInterceptor {

    private final String operation;
    private final int n;
    private final boolean afterServerDidIt;
    private final AtomicInteger calls = new AtomicInteger();

    FailNthCall(String operation, int n, boolean afterServerDidIt) {
        this.operation = operation;
        this.n = n;
        this.afterServerDidIt = afterServerDidIt;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!afterServerDidIt) {
            maybeFail(attributes);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (afterServerDidIt) {
            maybeFail(attributes);
        }
    }

    private void maybeFail(ExecutionAttributes attributes) {
        if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                && calls.incrementAndGet() == n) {
            throw SdkClientException.create("injected fault: " + operation + " call " + n);
        }
    }
}
