package com.pisync.bench.hotpath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * AWS clients that answer from memory, so a benchmark measures PiSync's own work: the handlers, the domain and the
 * request objects they build, without the SDK's marshalling, signing and HTTP. Every call is counted, and the
 * number of items and messages handed to them is the benchmarks' proof of real work.
 */
final class InMemoryClients {

    private InMemoryClients() {
    }

    /** What the handlers asked of the clients. */
    static final class Calls {
        final LongAdder requests = new LongAdder();
        final LongAdder itemsWritten = new LongAdder();
        final LongAdder messagesSent = new LongAdder();

        void reset() {
            requests.reset();
            itemsWritten.reset();
            messagesSent.reset();
        }
    }

    /**
     * DynamoDB: GetItem answers from {@code items} (by the value of the key attribute {@code keyAttribute}), Query
     * answers {@code queryItems}, writes succeed (conditions hold, nothing unprocessed).
     */
    static DynamoDbClient dynamoDb(String keyAttribute, Map<String, Map<String, AttributeValue>> items,
            Function<QueryRequest, List<Map<String, AttributeValue>>> queryItems, Calls calls) {
        Map<String, Map<String, AttributeValue>> byKey = new ConcurrentHashMap<>(items);
        return new DynamoDbClient() {
            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }

            @Override
            public GetItemResponse getItem(GetItemRequest request) {
                calls.requests.increment();
                AttributeValue key = request.key().get(keyAttribute);
                Map<String, AttributeValue> item = key == null ? null : byKey.get(key.s());
                return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
            }

            @Override
            public QueryResponse query(QueryRequest request) {
                calls.requests.increment();
                List<Map<String, AttributeValue>> found = queryItems.apply(request);
                return QueryResponse.builder().items(found).count(found.size()).scannedCount(found.size()).build();
            }

            @Override
            public UpdateItemResponse updateItem(UpdateItemRequest request) {
                calls.requests.increment();
                calls.itemsWritten.add(1);
                return UpdateItemResponse.builder().build();
            }

            @Override
            public PutItemResponse putItem(PutItemRequest request) {
                calls.requests.increment();
                calls.itemsWritten.add(1);
                return PutItemResponse.builder().build();
            }

            @Override
            public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
                calls.requests.increment();
                request.requestItems().values().forEach(writes -> calls.itemsWritten.add(writes.size()));
                return BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build();
            }

            @Override
            public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
                calls.requests.increment();
                return BatchGetItemResponse.builder().responses(Map.of()).unprocessedKeys(Map.of()).build();
            }

            @Override
            public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
                calls.requests.increment();
                calls.itemsWritten.add(request.transactItems().size());
                return TransactWriteItemsResponse.builder().build();
            }
        };
    }

    /** SQS: every message of a batch is accepted. */
    static SqsClient sqs(Calls calls) {
        return new SqsClient() {
            @Override
            public String serviceName() {
                return "sqs";
            }

            @Override
            public void close() {
            }

            @Override
            public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
                calls.requests.increment();
                calls.messagesSent.add(request.entries().size());
                List<SendMessageBatchResultEntry> ok = new ArrayList<>(request.entries().size());
                request.entries().forEach(e -> ok.add(SendMessageBatchResultEntry.builder().id(e.id())
                        .messageId(e.id()).build()));
                return SendMessageBatchResponse.builder().successful(ok).failed(List.of()).build();
            }
        };
    }

    /** SNS: every publish succeeds. */
    static SnsClient sns(Calls calls) {
        return new SnsClient() {
            @Override
            public String serviceName() {
                return "sns";
            }

            @Override
            public void close() {
            }

            @Override
            public PublishResponse publish(PublishRequest request) {
                calls.requests.increment();
                calls.messagesSent.add(1);
                return PublishResponse.builder().messageId("m").build();
            }
        };
    }
}
