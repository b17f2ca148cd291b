package com.pisync.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * TransactWriteItems' ClientRequestToken: a token seen in the last 10 minutes with the same request
 * answers the first response again without writing; with a different request it is
 * IdempotentParameterMismatchException.
 */
public final class Idempotency {

    public static final long WINDOW_MILLIS = 10 * 60 * 1000;

    private record Entry(String request, ObjectNode response, long expiresMillis) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** The earlier response for this token and request, null if none; throws on a mismatch. */
    public synchronized ObjectNode replay(String token, String request, long nowMillis) {
        expire(nowMillis);
        Entry e = entries.get(token);
        if (e == null) {
            return null;
        }
        if (!e.request.equals(request)) {
            throw new DynamoException("IdempotentParameterMismatchException",
                    "The request uses the same client token as a previous, but non-identical request.");
        }
        return e.response.deepCopy();
    }

    public synchronized void remember(String token, String request, ObjectNode response, long nowMillis) {
        entries.put(token, new Entry(request, response.deepCopy(), nowMillis + WINDOW_MILLIS));
    }

    private void expire(long nowMillis) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
            if (it.next().expiresMillis <= nowMillis) {
                it.remove();
            }
        }
    }
}
