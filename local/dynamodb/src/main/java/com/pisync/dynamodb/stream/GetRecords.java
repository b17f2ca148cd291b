package com.pisync.dynamodb.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.table.StreamInfo;
import com.pisync.dynamodb.value.ValueJson;
import java.util.List;
import java.util.UUID;

/**
 * GetRecords: up to Limit (1000) records from the iterator's position and the iterator for what follows;
 * a disabled stream's shard is closed, so once it is read to the end there is no next iterator.
 */
public final class GetRecords implements Operation {

    static final int MAX_LIMIT = 1000;

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation.start()
                .notNull(r.get("ShardIterator"), "shardIterator")
                .length(r.get("ShardIterator"), "shardIterator", 1, 2048)
                .range(r.get("Limit"), "limit", 1, MAX_LIMIT)
                .check();
        String iterator = Validation.text(r, "ShardIterator");
        Long limitValue = Validation.number(r, "Limit");
        int limit = limitValue == null ? MAX_LIMIT : limitValue.intValue();
        long now = engine.nowMillis();
        ShardIterators.Position p = ShardIterators.decode(iterator, now);
        return engine.read(() -> {
            StreamLookup.Found found = StreamLookup.find(engine, p.streamArn());
            StreamInfo info = found.stream();
            StreamLog log = found.table().stream(info);
            long cutoff = now - StreamLog.RETENTION_MILLIS;
            List<StreamRecord> records = log.read(p.next(), limit);
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            ArrayNode out = response.putArray("Records");
            long next = p.next();
            for (StreamRecord rec : records) {
                next = rec.sequence() + 1;
                if (rec.createdMillis() < cutoff) {
                    continue; // past retention: trimmed, even if the sweeper has not removed it yet
                }
                out.add(json(rec, found.table().definition().tableId()));
            }
            Long last = log.last();
            boolean closed = !info.enabled() && (last == null || next > last);
            if (!closed) {
                response.put("NextShardIterator",
                        ShardIterators.encode(new ShardIterators.Position(p.streamArn(), p.shardId(), next, now)));
            }
            return response;
        });
    }

    static ObjectNode json(StreamRecord rec, String tableId) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("eventID", new UUID(tableId.hashCode(), rec.sequence()).toString().replace("-", ""));
        o.put("eventName", rec.eventName());
        o.put("eventVersion", "1.1");
        o.put("eventSource", "aws:dynamodb");
        o.put("awsRegion", "ddblocal");
        ObjectNode d = o.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", rec.createdMillis() / 1000);
        d.set("Keys", ValueJson.toJson(rec.keys()));
        if (rec.newImage() != null) {
            d.set("NewImage", ValueJson.toJson(rec.newImage()));
        }
        if (rec.oldImage() != null) {
            d.set("OldImage", ValueJson.toJson(rec.oldImage()));
        }
        d.put("SequenceNumber", SequenceNumbers.text(rec.sequence()));
        d.put("SizeBytes", rec.sizeBytes());
        d.put("StreamViewType", rec.viewType());
        if (rec.byTtl()) {
            o.putObject("userIdentity").put("PrincipalId", "dynamodb.amazonaws.com").put("Type", "Service");
        }
        return o;
    }
}
