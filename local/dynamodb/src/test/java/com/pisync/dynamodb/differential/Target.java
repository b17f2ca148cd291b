package com.pisync.dynamodb.differential;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One server under comparison — moto or our engine — with the SDK client that talks to it. Closing it closes
 * the client and stops the server.
 */
final class Target implements AutoCloseable {

    private final String name;
    private final boolean moto;
    private final DynamoDbClient client;
    private final AutoCloseable server;

    Target(String name, boolean moto, URI endpoint, AutoCloseable server) {
        this.name = name;
        this.moto = moto;
        this.server = server;
        this.client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("differential", "x")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                // A retry would run a write twice on one side only and hide the first answer.
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(60))
                        .build())
                .build();
    }

    static Target moto(MotoServer server) {
        return new Target("moto", true, server.endpoint(), server);
    }

    String name() {
        return name;
    }

    /** Whether this is moto itself: moto's known deviations are only forgiven in a subject that is not moto. */
    boolean isMoto() {
        return moto;
    }

    DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop " + name, e);
            }
        }
    }
}
