package com.pisync.dynamodb.operation;

import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.capacity.ItemSize;
import com.pisync.dynamodb.table.IndexDefinition;
import com.pisync.dynamodb.table.KeySchema;
import com.pisync.dynamodb.table.TableDefinition;
import com.pisync.dynamodb.value.Value;
import java.util.Map;

/** DynamoDB's checks of keys and items against a table's schema, with its messages. */
public final class Keys {

    public static final int MAX_PARTITION_KEY_BYTES = 2048;
    public static final int MAX_SORT_KEY_BYTES = 1024;

    private Keys() {
    }

    /** A Key parameter (GetItem, DeleteItem, UpdateItem, batches): exactly the key attributes, right types. */
    public static void checkKey(TableDefinition def, Map<String, Value> key) {
        KeySchema k = def.keys();
        int expected = k.hasSort() ? 2 : 1;
        if (key == null || key.size() != expected) {
            throw DynamoException.validation("The provided key element does not match the schema");
        }
        checkKeyValue(k.partitionName(), k.partitionType(), key.get(k.partitionName()), true, false);
        if (k.hasSort()) {
            checkKeyValue(k.sortName(), k.sortType(), key.get(k.sortName()), false, false);
        }
    }

    /** An item to write (PutItem, BatchWriteItem, an update's result): keys present and typed, index keys typed, size. */
    public static void checkItem(TableDefinition def, Map<String, Value> item) {
        KeySchema k = def.keys();
        checkKeyValue(k.partitionName(), k.partitionType(), item.get(k.partitionName()), true, true);
        if (k.hasSort()) {
            checkKeyValue(k.sortName(), k.sortType(), item.get(k.sortName()), false, true);
        }
        checkIndexKeys(def, item);
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
            throw DynamoException.validation("Item size has exceeded the maximum allowed size");
        }
    }

    /** Index key attributes, when present, must have the type the index declares and not be empty. */
    public static void checkIndexKeys(TableDefinition def, Map<String, Value> item) {
        for (IndexDefinition index : def.allIndexes()) {
            checkIndexKey(index, index.keys().partitionName(), index.keys().partitionType(), item);
            if (index.keys().hasSort()) {
                checkIndexKey(index, index.keys().sortName(), index.keys().sortType(), item);
            }
        }
    }

    private static void checkIndexKey(IndexDefinition index, String name, String type, Map<String, Value> item) {
        Value v = item.get(name);
        if (v == null) {
            return;
        }
        if (!v.type().equals(type)) {
            throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for Index Key " + name
                    + " Expected: " + type + " Actual: " + v.type() + " IndexName: " + index.name());
        }
        if (isEmpty(v)) {
            throw DynamoException.validation("One or more parameter values are not valid. A value specified for a secondary index key "
                    + "is not supported. The AttributeValue for a key attribute cannot contain an empty "
                    + (v instanceof Value.S ? "string" : "binary") + " value. IndexName: " + index.name() + ", IndexKey: " + name);
        }
    }

    private static void checkKeyValue(String name, String type, Value v, boolean partition, boolean inItem) {
        if (v == null) {
            if (inItem) {
                throw DynamoException.validation("One or more parameter values were invalid: Missing the key " + name + " in the item");
            }
            throw DynamoException.validation("The provided key element does not match the schema");
        }
        if (!v.type().equals(type)) {
            if (inItem) {
                throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for key " + name
                        + " expected: " + type + " actual: " + v.type());
            }
            throw DynamoException.validation("The provided key element does not match the schema");
        }
        if (isEmpty(v)) {
            throw DynamoException.validation("One or more parameter values are not valid. The AttributeValue for a key attribute "
                    + "cannot contain an empty " + (v instanceof Value.S ? "string" : "binary") + " value. Key: " + name);
        }
        long size = ItemSize.value(v);
        if (partition && size > MAX_PARTITION_KEY_BYTES) {
            throw DynamoException.validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
                    + "size limit of" + MAX_PARTITION_KEY_BYTES + " bytes");
        }
        if (!partition && size > MAX_SORT_KEY_BYTES) {
            throw DynamoException.validation("One or more parameter values were invalid: Aggregated size of all range keys has "
                    + "exceeded the size limit of " + MAX_SORT_KEY_BYTES + " bytes");
        }
    }

    static boolean isEmpty(Value v) {
        return v instanceof Value.S s && s.value().isEmpty() || v instanceof Value.B b && b.length() == 0;
    }
}
