package com.pisync.dynamodb;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** A server for one test class and SDK clients for it, as PiSync's code builds them. */
public final class LocalServer implements AutoCloseable {

    public final DynamoDbServer server;
    public final DynamoDbClient dynamo;
    public final DynamoDbStreamsClient streams;

    private LocalServer(DynamoDbServer server) {
        this.server = server;
        this.dynamo = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        this.streams = DynamoDbStreamsClient.builder().endpointOverride(server.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    public static LocalServer inMemory() {
        return new LocalServer(DynamoDbServer.start(new EngineOptions(0, null, Clock.systemUTC(), Duration.ZERO)));
    }

    public static LocalServer start(Path dataDir, Clock clock) {
        return new LocalServer(DynamoDbServer.start(new EngineOptions(0, dataDir, clock, Duration.ZERO)));
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** An on-demand table with a string partition key and, if {@code sk} is not null, a string sort key. */
    public void createTable(String name, String pk, String sk) {
        CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
        if (sk == null) {
            b.keySchema(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(pk).attributeType(ScalarAttributeType.S).build());
        } else {
            b.keySchema(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build(),
                    KeySchemaElement.builder().attributeName(sk).keyType(KeyType.RANGE).build())
                    .attributeDefinitions(List.of(
                            AttributeDefinition.builder().attributeName(pk).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(sk).attributeType(ScalarAttributeType.S).build()));
        }
        dynamo.createTable(b.build());
    }

    @Override
    public void close() {
        dynamo.close();
        streams.close();
        server.close();
    }
}
