package com.pisync.dynamodb;

import com.pisync.dynamodb.operation.BatchGetItem;
import com.pisync.dynamodb.operation.BatchWriteItem;
import com.pisync.dynamodb.operation.DeleteItem;
import com.pisync.dynamodb.operation.GetItem;
import com.pisync.dynamodb.operation.PutItem;
import com.pisync.dynamodb.operation.Query;
import com.pisync.dynamodb.operation.Scan;
import com.pisync.dynamodb.operation.TransactGetItems;
import com.pisync.dynamodb.operation.TransactWriteItems;
import com.pisync.dynamodb.operation.UpdateItem;
import com.pisync.dynamodb.stream.DescribeStream;
import com.pisync.dynamodb.stream.GetRecords;
import com.pisync.dynamodb.stream.GetShardIterator;
import com.pisync.dynamodb.stream.ListStreams;
import com.pisync.dynamodb.table.CreateTable;
import com.pisync.dynamodb.table.DeleteTable;
import com.pisync.dynamodb.table.DescribeTable;
import com.pisync.dynamodb.table.ListTables;
import com.pisync.dynamodb.table.TimeToLive;
import com.pisync.dynamodb.table.UpdateTable;
import java.util.HashMap;
import java.util.Map;

/** The actions the engine answers, by the name in {@code X-Amz-Target}. */
final class Operations {

    private Operations() {
    }

    static Map<String, Operation> dynamoDb() {
        Map<String, Operation> ops = new HashMap<>();
        ops.put("CreateTable", new CreateTable());
        ops.put("DescribeTable", new DescribeTable());
        ops.put("ListTables", new ListTables());
        ops.put("DeleteTable", new DeleteTable());
        ops.put("PutItem", new PutItem());
        ops.put("GetItem", new GetItem());
        ops.put("DeleteItem", new DeleteItem());
        ops.put("Query", new Query());
        ops.put("Scan", new Scan());
        ops.put("BatchWriteItem", new BatchWriteItem());
        ops.put("BatchGetItem", new BatchGetItem());
        ops.put("UpdateItem", new UpdateItem());
        ops.put("TransactWriteItems", new TransactWriteItems());
        ops.put("TransactGetItems", new TransactGetItems());
        ops.put("UpdateTable", new UpdateTable());
        ops.put("UpdateTimeToLive", new TimeToLive.Update());
        ops.put("DescribeTimeToLive", new TimeToLive.Describe());
        return ops;
    }

    static Map<String, Operation> streams() {
        Map<String, Operation> ops = new HashMap<>();
        ops.put("ListStreams", new ListStreams());
        ops.put("DescribeStream", new DescribeStream());
        ops.put("GetShardIterator", new GetShardIterator());
        ops.put("GetRecords", new GetRecords());
        return ops;
    }
}
