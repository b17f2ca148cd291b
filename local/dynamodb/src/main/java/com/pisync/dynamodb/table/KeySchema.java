package com.pisync.dynamodb.table;

import com.pisync.dynamodb.value.Value;
import java.util.Map;

/** A table's or index's key: partition (HASH) attribute and optional sort (RANGE) attribute, with types. */
public record KeySchema(String partitionName, String partitionType, String sortName, String sortType) {

    public boolean hasSort() {
        return sortName != null;
    }

    public boolean isKeyAttribute(String name) {
        return name.equals(partitionName) || name.equals(sortName);
    }

    public Value partitionOf(Map<String, Value> item) {
        return item.get(partitionName);
    }

    public Value sortOf(Map<String, Value> item) {
        return sortName == null ? null : item.get(sortName);
    }

    /** Whether the item has this key's attributes with the declared types (else: not in this index). */
    public boolean covers(Map<String, Value> item) {
        Value p = item.get(partitionName);
        if (p == null || !p.type().equals(partitionType)) {
            return false;
        }
        if (sortName == null) {
            return true;
        }
        Value s = item.get(sortName);
        return s != null && s.type().equals(sortType);
    }
}
