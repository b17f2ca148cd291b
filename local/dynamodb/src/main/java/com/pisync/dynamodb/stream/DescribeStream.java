package com.pisync.dynamodb.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;
import com.pisync.dynamodb.table.KeySchema;
import com.pisync.dynamodb.table.StreamInfo;
import com.pisync.dynamodb.table.TableDefinition;
import com.pisync.dynamodb.table.TableDescriptions;

/** DescribeStream: status, view type, key schema and the stream's shard with its sequence number range. */
public final class DescribeStream implements Operation {

    @Override
    public ObjectNode apply(Engine engine, JsonNode r) {
        Validation.start()
                .notNull(r.get("StreamArn"), "streamArn")
                .length(r.get("StreamArn"), "streamArn", 37, 1024)
                .range(r.get("Limit"), "limit", 1, 100)
                .check();
        String arn = Validation.text(r, "StreamArn");
        String startShard = Validation.text(r, "ExclusiveStartShardId");
        return engine.read(() -> {
            StreamLookup.Found found = StreamLookup.find(engine, arn);
            TableDefinition def = found.table().definition();
            StreamInfo s = found.stream();
            StreamLog log = found.table().stream(s);
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            ObjectNode d = response.putObject("StreamDescription");
            d.put("StreamArn", def.streamArn(s));
            d.put("StreamLabel", s.label());
            d.put("StreamStatus", s.enabled() ? "ENABLED" : "DISABLED");
            d.put("StreamViewType", s.viewType());
            d.put("CreationRequestDateTime", TableDescriptions.seconds(s.createdMillis()));
            d.put("TableName", def.name());
            ArrayNode keys = d.putArray("KeySchema");
            KeySchema k = def.keys();
            keys.addObject().put("AttributeName", k.partitionName()).put("KeyType", "HASH");
            if (k.hasSort()) {
                keys.addObject().put("AttributeName", k.sortName()).put("KeyType", "RANGE");
            }
            ArrayNode shards = d.putArray("Shards");
            if (startShard == null || !startShard.equals(s.shardId())) {
                ObjectNode shard = shards.addObject();
                shard.put("ShardId", s.shardId());
                ObjectNode range = shard.putObject("SequenceNumberRange");
                Long first = log.first();
                Long last = log.last();
                range.put("StartingSequenceNumber", SequenceNumbers.text(first == null ? 1 : first));
                if (!s.enabled() && last != null) {
                    range.put("EndingSequenceNumber", SequenceNumbers.text(last));
                }
            }
            return response;
        });
    }
}
