package com.pisync.testbed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Makes chosen AWS calls fail, as a client interceptor in front of the real local servers: either
 * before the request is sent (nothing happened) or after the server did it (the caller only thinks it
 * failed, like a timeout on the way back).
 */
public final class FaultInjector implements ExecutionInterceptor {

    private final Map<String, AtomicInteger> failBefore = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failAfter = new ConcurrentHashMap<>();

    /** The next {@code times} calls of "Service.Operation" fail without reaching the server. */
    public FaultInjector failBeforeSending(String operation, int times) {
        failBefore.put(operation, new AtomicInteger(times));
        return this;
    }

    /** The next {@code times} calls of "Service.Operation" are done by the server, then fail. */
    public FaultInjector failAfterServerDidIt(String operation, int times) {
        failAfter.put(operation, new AtomicInteger(times));
        return this;
    }

    public void clear() {
        failBefore.clear();
        failAfter.clear();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        maybeFail(failBefore, attributes, "before sending");
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        maybeFail(failAfter, attributes, "after the server did it");
    }

    private static void maybeFail(Map<String, AtomicInteger> rules, ExecutionAttributes attributes, String when) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        AtomicInteger left = rules.get(operation);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw SdkClientException.create("injected fault: " + operation + " failed " + when);
        }
    }
}
