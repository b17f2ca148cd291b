package com.pisync.dynamodb.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.Operation;
import com.pisync.dynamodb.Validation;

/** UpdateTimeToLive and DescribeTimeToLive: which number attribute (epoch seconds) expires items. */
public final class TimeToLive {

    private TimeToLive() {
    }

    public static final class Update implements Operation {
        @Override
        public ObjectNode apply(Engine engine, JsonNode r) {
            JsonNode spec = Validation.object(r, "TimeToLiveSpecification");
            Validation v = Validation.start().name(r.get("TableName"), "tableName", true);
            v.notNull(spec, "timeToLiveSpecification");
            if (spec != null) {
                v.notNull(spec.get("AttributeName"), "timeToLiveSpecification.attributeName");
                v.length(spec.get("AttributeName"), "timeToLiveSpecification.attributeName", 1, 255);
                v.notNull(spec.get("Enabled"), "timeToLiveSpecification.enabled");
            }
            v.check();
            String name = Validation.text(r, "TableName");
            String attribute = Validation.text(spec, "AttributeName");
            boolean enabled = Validation.bool(spec, "Enabled");
            return engine.writeStructural(() -> {
                Table table = engine.catalog().requireNamed(name);
                TableDefinition def = table.definition();
                if (enabled && def.ttlEnabled()) {
                    if (!attribute.equals(def.ttlAttribute())) {
                        throw DynamoException.validation("TimeToLive is active on a different AttributeName: current value of AttributeName is "
                                + def.ttlAttribute());
                    }
                    throw DynamoException.validation("TimeToLive is already enabled");
                }
                if (!enabled && !def.ttlEnabled()) {
                    throw DynamoException.validation("TimeToLive is already disabled");
                }
                if (!enabled && !attribute.equals(def.ttlAttribute())) {
                    throw DynamoException.validation("TimeToLive is active on a different AttributeName: current value of AttributeName is "
                            + def.ttlAttribute());
                }
                engine.catalog().update(table, def.withTtl(attribute, enabled));
                engine.catalog().timeToLiveChanged(table);
                ObjectNode response = JsonNodeFactory.instance.objectNode();
                response.putObject("TimeToLiveSpecification").put("Enabled", enabled).put("AttributeName", attribute);
                return response;
            });
        }
    }

    public static final class Describe implements Operation {
        @Override
        public ObjectNode apply(Engine engine, JsonNode r) {
            Validation.start().name(r.get("TableName"), "tableName", true).check();
            String name = Validation.text(r, "TableName");
            return engine.read(() -> {
                TableDefinition def = engine.catalog().requireNamed(name).definition();
                ObjectNode response = JsonNodeFactory.instance.objectNode();
                ObjectNode d = response.putObject("TimeToLiveDescription");
                d.put("TimeToLiveStatus", def.ttlEnabled() ? "ENABLED" : "DISABLED");
                if (def.ttlEnabled()) {
                    d.put("AttributeName", def.ttlAttribute());
                }
                return response;
            });
        }
    }
}
