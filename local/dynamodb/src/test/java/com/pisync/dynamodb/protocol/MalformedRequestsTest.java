package com.pisync.dynamodb.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.EngineOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Odd requests are DynamoDB errors (4xx), never the engine's own failure (500). */
class MalformedRequestsTest {

    static Engine engine;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void open() throws Exception {
        engine = Engine.open(EngineOptions.inMemory());
        engine.execute("CreateTable", JSON.readTree("{\"TableName\":\"odd\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],"
                + "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"KEYS_ONLY\"}}"));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void oddRequestsAreClientErrors() throws Exception {
        List<String[]> requests = List.of(
                new String[] {"PutItem", "{}"},
                new String[] {"PutItem", "{\"TableName\":\"odd\",\"Item\":[]}"},
                new String[] {"PutItem", "{\"TableName\":\"odd\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"x\"}}}"},
                new String[] {"PutItem", "{\"TableName\":\"odd\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},\"ConditionExpression\":\"\"}"},
                new String[] {"PutItem", "{\"TableName\":5,\"Item\":{}}"},
                new String[] {"GetItem", "{\"TableName\":\"odd\",\"Key\":{\"pk\":{\"S\":\"a\"}}}"},
                new String[] {"GetItem", "{\"TableName\":\"odd\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}}"},
                new String[] {"UpdateItem", "{\"TableName\":\"odd\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},\"UpdateExpression\":\"SET\"}"},
                new String[] {"UpdateItem", "{\"TableName\":\"odd\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},\"UpdateExpression\":\"SET a = :v\"}"},
                new String[] {"Query", "{\"TableName\":\"odd\"}"},
                new String[] {"Query", "{\"TableName\":\"odd\",\"KeyConditionExpression\":\"pk = :p\",\"ExpressionAttributeValues\":{\":p\":{\"N\":\"1\"}}}"},
                new String[] {"Query", "{\"TableName\":\"odd\",\"KeyConditionExpression\":\"sk = :p\",\"ExpressionAttributeValues\":{\":p\":{\"N\":\"1\"}}}"},
                new String[] {"Query", "{\"TableName\":\"odd\",\"KeyConditionExpression\":\"pk = :p\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"1\"}},\"ExclusiveStartKey\":{\"x\":{\"S\":\"y\"}}}"},
                new String[] {"Query", "{\"TableName\":\"odd\",\"KeyConditionExpression\":\"pk = :p\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"1\"}},\"Limit\":0}"},
                new String[] {"Scan", "{\"TableName\":\"odd\",\"Segment\":1}"},
                new String[] {"Scan", "{\"TableName\":\"odd\",\"Select\":\"NOPE\"}"},
                new String[] {"BatchWriteItem", "{\"RequestItems\":{}}"},
                new String[] {"BatchWriteItem", "{\"RequestItems\":{\"odd\":[]}}"},
                new String[] {"BatchWriteItem", "{\"RequestItems\":{\"odd\":[{}]}}"},
                new String[] {"BatchWriteItem", "{\"RequestItems\":{\"odd\":[{\"PutRequest\":{}}]}}"},
                new String[] {"BatchGetItem", "{\"RequestItems\":{\"odd\":{}}}"},
                new String[] {"BatchGetItem", "{\"RequestItems\":{\"odd\":{\"Keys\":[]}}}"},
                new String[] {"TransactWriteItems", "{\"TransactItems\":[]}"},
                new String[] {"TransactWriteItems", "{\"TransactItems\":[{}]}"},
                new String[] {"TransactWriteItems", "{\"TransactItems\":[{\"Put\":{\"TableName\":\"odd\"}}]}"},
                new String[] {"TransactGetItems", "{\"TransactItems\":[{}]}"},
                new String[] {"CreateTable", "{\"TableName\":\"odd2\"}"},
                new String[] {"CreateTable", "{\"TableName\":\"odd2\",\"KeySchema\":[],\"AttributeDefinitions\":[]}"},
                new String[] {"CreateTable", "{\"TableName\":\"odd2\",\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\",\"GlobalSecondaryIndexes\":[{\"IndexName\":\"gsi\",\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}]}]}"},
                new String[] {"UpdateTable", "{\"TableName\":\"odd\"}"},
                new String[] {"UpdateTable", "{\"TableName\":\"odd\",\"GlobalSecondaryIndexUpdates\":[{}]}"},
                new String[] {"UpdateTimeToLive", "{\"TableName\":\"odd\"}"},
                new String[] {"DescribeStream", "{\"StreamArn\":\"arn:aws:dynamodb:ddblocal:000000000000:table/odd/stream/nope\"}"},
                new String[] {"GetShardIterator", "{\"StreamArn\":\"arn:aws:dynamodb:ddblocal:000000000000:table/odd/stream/nope\",\"ShardId\":\"shardId-00000000000000000000-00000000\",\"ShardIteratorType\":\"LATEST\"}"},
                new String[] {"GetRecords", "{\"ShardIterator\":\"garbage\"}"},
                new String[] {"ListTables", "{\"Limit\":1000}"});
        for (String[] r : requests) {
            boolean streams = r[0].equals("DescribeStream") || r[0].equals("GetShardIterator") || r[0].equals("GetRecords");
            try {
                if (streams) {
                    engine.executeStreams(r[0], JSON.readTree(r[1]));
                } else {
                    engine.execute(r[0], JSON.readTree(r[1]));
                }
                fail(r[0] + " " + r[1] + " was accepted");
            } catch (DynamoException e) {
                assertTrue(e.httpStatus() == 400, r[0] + " " + r[1] + " -> " + e.type());
            } catch (RuntimeException e) {
                throw new AssertionError(r[0] + " " + r[1] + " failed inside the engine: " + e, e);
            }
        }
    }
}
