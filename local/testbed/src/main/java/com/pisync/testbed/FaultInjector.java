package com.pisync.testbed;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * Makes chosen AWS calls fail, as a client interceptor in front of the real local servers: either
 * before the request is sent (nothing happened) or after the server did it (the caller only thinks it
 * failed, like a timeout on the way back).
 *
 * <p>Three ways to choose the calls:
 * <ul>
 * <li>counted: the next N calls of one operation ({@link #failBeforeSending}, {@link #failAfterServerDidIt});
 * <li>seeded random: a share of the calls whose "Service.Operation" starts with a prefix gets one of the
 *     {@link Fault}s ({@link #randomly}); the same seed gives the same sequence of decisions (which call
 *     gets which depends on thread scheduling when several threads share the client);
 * <li>persistent: every call of an operation whose request matches a test fails ({@link #failWhile}), like a
 *     table that is unavailable for one kind of write until the cause is fixed;
 * <li>a crash: after N more calls every call fails until {@link #clear()} ({@link #crashAfterCalls}), which
 *     is what a process that dies mid-batch looks like to the servers.
 * </ul>
 * {@link #injected()} counts what was injected, by fault and operation.
 */
public final class FaultInjector implements ExecutionInterceptor {

    /** What an injected fault looks like to the caller. */
    public enum Fault {
        /**
         * One attempt is answered "throttled" (DynamoDB: ProvisionedThroughputExceededException, other
         * services: ThrottlingException) without reaching the server; the SDK retries it with backoff.
         */
        THROTTLED_ONCE(true),
        /**
         * The server did the first attempt, its answer is lost (attempt timeout); the SDK sends the same
         * request again, so the server sees it twice.
         */
        ATTEMPT_TIMEOUT_AFTER_SERVER_DID_IT(true),
        /** The call fails as throttled beyond the SDK's retries; the server saw nothing. */
        THROTTLED(false),
        /** The call times out (ApiCallTimeoutException) before anything reached the server. */
        TIMEOUT_BEFORE_SENDING(false),
        /** The server did it, then the call timed out (ApiCallTimeoutException): the caller thinks it failed. */
        TIMEOUT_AFTER_SERVER_DID_IT(false);

        private final boolean retriedBySdk;

        Fault(boolean retriedBySdk) {
            this.retriedBySdk = retriedBySdk;
        }

        /** True when the SDK retries it by itself (the caller sees success unless every retry fails too). */
        public boolean retriedBySdk() {
            return retriedBySdk;
        }
    }

    private static final ExecutionAttribute<Fault> CHOSEN = new ExecutionAttribute<>("pisync.injectedFault");
    private static final ExecutionAttribute<Boolean> ATTEMPTED = new ExecutionAttribute<>("pisync.faultAttempted");

    private record Rule(String operationPrefix, java.util.function.Predicate<software.amazon.awssdk.core.SdkRequest> matches,
            double probability, List<Fault> faults) {
    }

    private final Map<String, AtomicInteger> failBefore = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failAfter = new ConcurrentHashMap<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.function.Predicate<software.amazon.awssdk.core.SdkRequest>> persistent =
            new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private volatile Random random = new Random(0);
    private volatile boolean enabled = true;
    /** Calls left before the crash; negative: no crash planned. */
    private final AtomicInteger crashIn = new AtomicInteger(-1);
    private volatile String crashPrefix = "";
    private volatile boolean crashedCallReachesServer;
    private volatile boolean crashed;

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

    /**
     * Every call of "Service.Operation" whose request matches fails before it is sent, until {@link #clear()}
     * or {@link #stopFailing}.
     */
    public FaultInjector failWhile(String operation, java.util.function.Predicate<software.amazon.awssdk.core.SdkRequest> matches) {
        persistent.put(operation, matches);
        return this;
    }

    /** Ends a {@link #failWhile} rule: the cause was fixed. */
    public void stopFailing(String operation) {
        persistent.remove(operation);
    }

    /** Seeds the random decisions of {@link #randomly} rules (and restarts their sequence). */
    public FaultInjector seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /**
     * A share of the calls whose "Service.Operation" starts with {@code operationPrefix} (e.g. "DynamoDb.",
     * "Sns.Publish") gets one of {@code faults}, picked uniformly. Rules add up; the first that fires wins.
     */
    public FaultInjector randomly(String operationPrefix, double probability, Fault... faults) {
        return randomly(operationPrefix, request -> true, probability, faults);
    }

    /** As {@link #randomly(String, double, Fault...)}, for the calls whose request matches. */
    public FaultInjector randomly(String operationPrefix,
            java.util.function.Predicate<software.amazon.awssdk.core.SdkRequest> matches, double probability,
            Fault... faults) {
        if (probability < 0 || probability > 1 || faults.length == 0) {
            throw new IllegalArgumentException("probability in [0, 1] and at least one fault");
        }
        rules.add(new Rule(operationPrefix, matches, probability, List.of(faults)));
        return this;
    }

    /**
     * After {@code calls} more calls matching {@code operationPrefix} succeed, the process "dies": the next
     * one fails (after the server did it, when {@code lastReachesServer}) and so does every later call, of any
     * operation, until {@link #clear()} or {@link #recover()}.
     */
    public FaultInjector crashAfterCalls(String operationPrefix, int calls, boolean lastReachesServer) {
        crashPrefix = operationPrefix;
        crashedCallReachesServer = lastReachesServer;
        crashed = false;
        crashIn.set(calls);
        return this;
    }

    /** True once a planned crash happened (and until {@link #recover()}). */
    public boolean crashed() {
        return crashed;
    }

    /** Ends a crash (the process was restarted) and cancels a planned one; other rules stay. */
    public void recover() {
        crashIn.set(-1);
        crashed = false;
    }

    /** Pauses or resumes the random rules (counted faults and crashes are not affected). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    /** Removes every rule, planned crash and counter. */
    public void clear() {
        failBefore.clear();
        failAfter.clear();
        persistent.clear();
        rules.clear();
        recover();
        injected.clear();
    }

    /** How many faults were injected, keyed "FAULT Service.Operation" (crashes as "CRASH ..."), sorted. */
    public Map<String, Long> injected() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        injected.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Injected faults of one kind, all operations. */
    public long injected(Fault fault) {
        return injected.entrySet().stream().filter(e -> e.getKey().startsWith(fault.name() + " "))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = operation(attributes);
        var matches = persistent.get(operation);
        if (matches != null && matches.test(context.request())) {
            throw count("PERSISTENT", operation, SdkClientException.create("injected persistent fault: " + operation));
        }
        if (crashed) {
            throw count("CRASH", operation, SdkClientException.create("injected crash: " + operation + " not sent"));
        }
        if (crashIn.get() >= 0 && operation.startsWith(crashPrefix)
                && crashIn.getAndUpdate(n -> n >= 0 ? n - 1 : n) == 0) {
            crashed = true;
            if (!crashedCallReachesServer) {
                throw count("CRASH", operation, SdkClientException.create("injected crash: " + operation + " not sent"));
            }
            attributes.putAttribute(CHOSEN, Fault.TIMEOUT_AFTER_SERVER_DID_IT);
            return;
        }
        Fault fault = enabled ? choose(operation, context.request()) : null;
        if (fault == null) {
            return;
        }
        attributes.putAttribute(CHOSEN, fault);
        switch (fault) {
            case THROTTLED -> throw count(fault.name(), operation, throttled(operation));
            case TIMEOUT_BEFORE_SENDING -> throw count(fault.name(), operation,
                    callTimeout("injected: " + operation + " timed out before sending"));
            default -> { } // decided per attempt or after execution
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        maybeFail(failBefore, attributes, "before sending");
        if (attributes.getAttribute(CHOSEN) == Fault.THROTTLED_ONCE && firstAttempt(attributes)) {
            String operation = operation(attributes);
            throw count(Fault.THROTTLED_ONCE.name(), operation, throttled(operation));
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(CHOSEN) == Fault.ATTEMPT_TIMEOUT_AFTER_SERVER_DID_IT && firstAttempt(attributes)) {
            String operation = operation(attributes);
            throw count(Fault.ATTEMPT_TIMEOUT_AFTER_SERVER_DID_IT.name(), operation,
                    ApiCallAttemptTimeoutException.create(1));
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        maybeFail(failAfter, attributes, "after the server did it");
        if (attributes.getAttribute(CHOSEN) == Fault.TIMEOUT_AFTER_SERVER_DID_IT) {
            String operation = operation(attributes);
            String kind = crashed ? "CRASH" : Fault.TIMEOUT_AFTER_SERVER_DID_IT.name();
            throw count(kind, operation,
                    callTimeout("injected: " + operation + " done by the server, then timed out"));
        }
    }

    private Fault choose(String operation, software.amazon.awssdk.core.SdkRequest request) {
        for (Rule rule : rules) {
            if (operation.startsWith(rule.operationPrefix()) && rule.matches().test(request)) {
                Random r = random;
                synchronized (r) {
                    if (r.nextDouble() < rule.probability()) {
                        return rule.faults().get(r.nextInt(rule.faults().size()));
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** Marks the attempt; true only the first time (a per-attempt fault hits the first attempt only). */
    private static boolean firstAttempt(ExecutionAttributes attributes) {
        Boolean attempted = attributes.getAttribute(ATTEMPTED);
        attributes.putAttribute(ATTEMPTED, Boolean.TRUE);
        return attempted == null;
    }

    private static RuntimeException throttled(String operation) {
        if (operation.startsWith("DynamoDb.")) {
            return ProvisionedThroughputExceededException.builder().statusCode(400)
                    .message("injected: " + operation + " throttled")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                            .serviceName("DynamoDb").errorMessage("injected throttling").build())
                    .build();
        }
        return AwsServiceException.builder().statusCode(400).message("injected: " + operation + " throttled")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException")
                        .serviceName(operation.substring(0, operation.indexOf('.'))).errorMessage("injected throttling")
                        .build())
                .build();
    }

    private static ApiCallTimeoutException callTimeout(String message) {
        return ApiCallTimeoutException.builder().message(message).build();
    }

    private <T extends RuntimeException> T count(String kind, String operation, T exception) {
        injected.computeIfAbsent(kind + " " + operation, k -> new AtomicLong()).incrementAndGet();
        return exception;
    }

    private static String operation(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    private static void maybeFail(Map<String, AtomicInteger> rules, ExecutionAttributes attributes, String when) {
        String operation = operation(attributes);
        AtomicInteger left = rules.get(operation);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw SdkClientException.create("injected fault: " + operation + " failed " + when);
        }
    }
}
