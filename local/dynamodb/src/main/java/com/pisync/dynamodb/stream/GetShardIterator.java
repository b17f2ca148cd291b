package com.pisync.dynamodb.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;

/** GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER. */
public final class GetShardIterator implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation.start()
                .notNull(r.get("StreamArn"), "streamArn")
                .length(r.get("StreamArn"), "streamArn", 37, 1024)
                .notNull(r.get("ShardId"), "shardId")
                .length(r.get("ShardId"), "shardId", 28, 65)
                .notNull(r.get("ShardIteratorType"), "shardIteratorType")
                .oneOf(r.get("ShardIteratorType"), "shardIteratorType",
                        "TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")
                .length(r.get("SequenceNumber"), "sequenceNumber", 21, 40)
                .check();
        String arn = Validation.text(r, "StreamArn");
        String shardId = Validation.text(r, "ShardId");
        String type = Validation.text(r, "ShardIteratorType");
        String sequence = Validation.text(r, "SequenceNumber");
        boolean needsSequence = type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
        if (needsSequence && sequence == null) {
            throw DynamoException.validation("Must specify a sequence number when iterator type is " + type);
        }
        if (!needsSequence && sequence != null) {
            throw DynamoException.validation("Sequence number should not be specified for iterator type " + type);
        }
        long now = engine.nowMillis();
        return engine.read(() -> {
            StreamLookup.Found found = StreamLookup.find(engine, arn);
            if (!found.stream().shardId().equals(shardId)) {
                throw DynamoException.resourceNotFound("Requested resource not found: Shard does not exist");
            }
            StreamLog log = found.table().stream(found.stream());
            long next;
            switch (type) {
                case "TRIM_HORIZON":
                    next = 0;
                    break;
                case "LATEST": {
                    Long last = log.last();
                    next = last == null ? engine.currentSequence() + 1 : Math.max(last, engine.currentSequence()) + 1;
                    break;
                }
                default: {
                    long seq = SequenceNumbers.parse(sequence);
                    Long first = log.first();
                    if (first != null && seq < first && !log.contains(seq)) {
                        throw new DynamoException("TrimmedDataAccessException", "The operation attempted to read past the "
                                + "oldest stream record in a shard.");
                    }
                    next = type.equals("AT_SEQUENCE_NUMBER") ? seq : seq + 1;
                }
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.put("ShardIterator", ShardIterators.encode(new ShardIterators.Position(arn, shardId, next, now)));
            return response;
        });
    }
}
