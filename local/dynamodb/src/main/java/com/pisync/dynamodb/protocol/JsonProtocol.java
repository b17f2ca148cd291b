package com.pisync.dynamodb.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The DynamoDB and DynamoDB Streams JSON protocols (awsJson1_0): {@code X-Amz-Target} picks the action, the
 * body is its JSON request; the answer is the JSON response, or {@code {"__type", "message"}} with status 400
 * (500 for the engine's own failures). Signatures and regions are not checked: one shared database.
 */
final class JsonProtocol {

    private static final Logger LOG = Logger.getLogger(JsonProtocol.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String STREAMS = "DynamoDBStreams_20120810.";

    record Answer(int status, byte[] body) {
    }

    private final Engine engine;

    JsonProtocol(Engine engine) {
        this.engine = engine;
    }

    Answer handle(String method, String target, byte[] body) {
        ObjectNode response;
        int status;
        try {
            response = dispatch(method, target, body);
            status = 200;
        } catch (DynamoException e) {
            response = error(e);
            status = e.httpStatus();
        } catch (RuntimeException | StackOverflowError e) {
            LOG.log(Level.SEVERE, "internal error on " + target, e);
            response = error(new DynamoException("InternalServerError", "Internal server error"));
            status = 500;
        }
        try {
            return new Answer(status, JSON.writeValueAsBytes(response));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode dispatch(String method, String target, byte[] body) {
        if (!"POST".equals(method)) {
            throw new DynamoException("UnknownOperationException", null);
        }
        boolean streams;
        String action;
        if (target != null && target.startsWith(DYNAMODB)) {
            streams = false;
            action = target.substring(DYNAMODB.length());
        } else if (target != null && target.startsWith(STREAMS)) {
            streams = true;
            action = target.substring(STREAMS.length());
        } else {
            throw new DynamoException("UnknownOperationException", null);
        }
        if (streams ? !engine.hasStreamsAction(action) : !engine.hasAction(action)) {
            throw new DynamoException("UnknownOperationException", null);
        }
        JsonNode request;
        try {
            request = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new DynamoException("SerializationException", null);
        }
        if (request == null || !request.isObject()) {
            throw new DynamoException("SerializationException", null);
        }
        return streams ? engine.executeStreams(action, request) : engine.execute(action, request);
    }

    private static ObjectNode error(DynamoException e) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("__type", e.wireType());
        if (e.getMessage() != null) {
            // DynamoDB spells it "Message" for a cancelled transaction (SDKs read either)
            node.put(e.type().equals("TransactionCanceledException") ? "Message" : "message", e.getMessage());
        }
        for (Map.Entry<String, Object> x : e.extra().entrySet()) {
            node.set(x.getKey(), JSON.valueToTree(x.getValue()));
        }
        return node;
    }
}
