package com.pisync.aws.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;

/**
 * The one way every PiSync function writes a log line: one JSON object per line on standard output (Lambda
 * sends it to CloudWatch Logs, where Logs Insights reads the fields), with {@code timestamp}, {@code level},
 * {@code function}, {@code request_id} (the Lambda request id, or API Gateway's for HTTP requests), a
 * {@code message} and the fields that matter to it. Values are written by Jackson, so a device id or an error
 * text can never break the line.
 *
 * <p>A {@code Log} is cheap and immutable: a handler keeps one per function and derives one per invocation with
 * {@link #forRequest(Context)} or {@link #withRequestId(String)}. Code deep in a request that has no such log
 * (a store, a domain service) logs through a plain {@link #of(String)}: it takes the request id bound to the
 * thread by {@link #bind(String)}, which {@code HttpApi.handle} does for every HTTP request.
 */
public final class Log {

    /** Levels as CloudWatch and Powertools name them. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadLocal<String> BOUND = new ThreadLocal<>();

    private final String function;
    private final String requestId;
    private final Clock clock;

    private Log(String function, String requestId, Clock clock) {
        this.function = function;
        this.requestId = requestId;
        this.clock = clock;
    }

    /**
     * The log of a function: its name is Lambda's ({@code AWS_LAMBDA_FUNCTION_NAME}) when it runs there, else
     * {@code fallback} (e.g. "processor" locally).
     */
    public static Log of(String fallback) {
        return new Log(functionName(fallback), null, Clock.systemUTC());
    }

    static String functionName(String fallback) {
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        return name == null || name.isBlank() ? fallback : name;
    }

    /** This log for one invocation: the request id from Lambda's context (none when there is no context). */
    public Log forRequest(Context context) {
        return withRequestId(context == null ? null : context.getAwsRequestId());
    }

    public Log withRequestId(String id) {
        return new Log(function, id, clock);
    }

    /** Binds a request id to this thread until the scope is closed (logs without their own id use it). */
    public static Scope bind(String requestId) {
        String previous = BOUND.get();
        BOUND.set(requestId);
        return () -> BOUND.set(previous);
    }

    /** A bound request id's lifetime. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public String function() {
        return function;
    }

    public String requestId() {
        return requestId != null ? requestId : BOUND.get();
    }

    public void info(String message, Map<String, ?> fields) {
        write(Level.INFO, message, fields, null);
    }

    public void warn(String message, Map<String, ?> fields) {
        write(Level.WARN, message, fields, null);
    }

    public void warn(String message, Map<String, ?> fields, Throwable error) {
        write(Level.WARN, message, fields, error);
    }

    public void error(String message, Map<String, ?> fields, Throwable error) {
        write(Level.ERROR, message, fields, error);
    }

    /** Writes one line; fields named like the standard ones do not replace them. */
    public void write(Level level, String message, Map<String, ?> fields, Throwable error) {
        System.out.println(line(level, message, fields, error));
    }

    String line(Level level, String message, Map<String, ?> fields, Throwable error) {
        ObjectNode n = JSON.createObjectNode();
        n.put("timestamp", clock.instant().toString());
        n.put("level", level.name());
        n.put("function", function);
        String id = requestId();
        if (id != null) {
            n.put("request_id", id);
        }
        n.put("message", message);
        if (fields != null) {
            fields.forEach((k, v) -> {
                if (!n.has(k)) {
                    n.set(k, JSON.valueToTree(v));
                }
            });
        }
        if (error != null) {
            n.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        }
        return n.toString();
    }
}
