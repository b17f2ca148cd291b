package com.pisync.testbed;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Counts the AWS requests a client makes, by operation, and adds up the DynamoDB capacity units its
 * responses report (the requests ask for {@code ReturnConsumedCapacity}). This is how cost per event
 * is measured on the local servers.
 */
public final class RequestMeter implements ExecutionInterceptor {

    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems");

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(service + "." + operation, k -> new AtomicLong()).incrementAndGet();
        DoubleAdder units = READS.contains(operation) ? readUnits : writeUnits;
        context.response().getValueForField("ConsumedCapacity", Object.class).ifPresent(v -> {
            if (v instanceof ConsumedCapacity c) {
                units.add(unitsOf(c));
            } else if (v instanceof Iterable<?> list) {
                list.forEach(o -> units.add(o instanceof ConsumedCapacity c ? unitsOf(c) : 0));
            }
        });
    }

    private static double unitsOf(ConsumedCapacity c) {
        return c.capacityUnits() == null ? 0 : c.capacityUnits();
    }

    /** Requests so far, by "Service.Operation" (e.g. "DynamoDb.UpdateItem", "Sqs.SendMessageBatch"). */
    public Map<String, Long> requests() {
        Map<String, Long> copy = new TreeMap<>();
        requests.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public long requests(String operation) {
        AtomicLong n = requests.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Requests to one service ("DynamoDb", "Sqs", "Sns"). */
    public long totalRequests(String service) {
        return requests.entrySet().stream().filter(e -> e.getKey().startsWith(service + "."))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    public double readUnits() {
        return readUnits.sum();
    }

    public double writeUnits() {
        return writeUnits.sum();
    }

    public void reset() {
        requests.clear();
        readUnits.reset();
        writeUnits.reset();
    }
}
