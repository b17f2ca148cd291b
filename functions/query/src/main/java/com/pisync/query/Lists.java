package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.pisync.aws.http.Cursors;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.http.QueryParams;
import java.util.Map;

/** One list request: its parameters, its signed cursor position, and how to sign the next one. */
final class Lists {

    private final Cursors cursors;

    Lists(Cursors cursors) {
        this.cursors = cursors;
    }

    /** A list request as parsed: params (checked by the caller after reading its own), where it resumes. */
    record Request(QueryParams params, String scope, Map<String, String> position, int limit) {
        String at(String key) {
            return position == null ? null : position.get(key);
        }
    }

    Request open(APIGatewayV2HTTPEvent event, QueryParams params) {
        int limit = params.limit();
        String cursor = params.cursor();
        params.check();
        String scope = HttpApi.route(event) + " " + pathKey(event) + "?" + params.filters();
        return new Request(params, scope, cursors.decode(scope, cursor), limit);
    }

    String next(Request request, Map<String, String> position) {
        return position == null ? null : cursors.encode(request.scope(), position);
    }

    private static String pathKey(APIGatewayV2HTTPEvent event) {
        Map<String, String> path = event.getPathParameters();
        return path == null ? "" : new java.util.TreeMap<>(path).toString();
    }
}
