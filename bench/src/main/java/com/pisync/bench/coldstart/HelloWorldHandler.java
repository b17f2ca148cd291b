package com.pisync.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The anchor of the cold-start figures: the smallest useful Java handler behind API Gateway. It is packed
 * alone into its own jar ({@link ColdStartBenchmark} writes it) and started through the same runtime
 * interface client as the PiSync functions.
 */
public final class HelloWorldHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Object path = event == null ? null : event.get("rawPath");
        return Map.of("statusCode", 200, "headers", Map.of("content-type", "text/plain"),
                "body", "hello from " + path);
    }
}
