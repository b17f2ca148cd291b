package com.pisync.bench.cost;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link StackMeter} counted over a run.
 *
 * @param functions      per function: invocations, durations, log output
 * @param requests       AWS requests by "Service.Operation"
 * @param billedRequests the same in billed units (SQS and SNS: one per started 64 KiB of payload; others 1 each)
 * @param capacity       DynamoDB capacity units by "function|table[/index]|R or W"
 * @param emptyReceives  SQS ReceiveMessage calls that returned no message
 * @param messagesReceived SQS messages received
 */
public record Counts(Map<String, Function> functions, Map<String, Long> requests, Map<String, Long> billedRequests,
        Map<String, Double> capacity, long emptyReceives, long messagesReceived) {

    /**
     * One function's invocations: durations in milliseconds (wall clock on this machine), log output in bytes
     * (newlines excluded) and lines, and the CPU time its threads used (worker threads included).
     */
    public record Function(long invocations, double totalMillis, long billedMillis, double p50Millis, double p99Millis,
            long logBytes, long logLines, double cpuMillis) {
    }

    /** Requests by "Service.Operation", or by "function|Service.Operation" for the function's own. */
    public long requests(String operation) {
        return requests.getOrDefault(operation, 0L);
    }

    /** The function's AWS requests by "Service.Operation". */
    public Map<String, Long> requestsOf(String function) {
        Map<String, Long> out = new TreeMap<>();
        requests.forEach((k, v) -> {
            if (k.startsWith(function + "|")) {
                out.put(k.substring(function.length() + 1), v);
            }
        });
        return out;
    }

    public long billed(String operation) {
        return billedRequests.getOrDefault(operation, 0L);
    }

    public Function function(String name) {
        return functions.getOrDefault(name, new Function(0, 0, 0, 0, 0, 0, 0, 0));
    }

    /** Capacity units by table/index: {read, write}, summed over the functions in {@code which} (null: all). */
    public Map<String, double[]> capacityByTable(java.util.Set<String> which) {
        Map<String, double[]> out = new TreeMap<>();
        capacity.forEach((k, v) -> {
            String[] p = k.split("\\|");
            if (which == null || which.contains(p[0])) {
                out.computeIfAbsent(p[1], x -> new double[2])[p[2].equals("R") ? 0 : 1] += v;
            }
        });
        return out;
    }

    /** Capacity units by function: {read, write}. */
    public Map<String, double[]> capacityByFunction() {
        Map<String, double[]> out = new TreeMap<>();
        capacity.forEach((k, v) -> {
            String[] p = k.split("\\|");
            out.computeIfAbsent(p[0], x -> new double[2])[p[2].equals("R") ? 0 : 1] += v;
        });
        return out;
    }
}
