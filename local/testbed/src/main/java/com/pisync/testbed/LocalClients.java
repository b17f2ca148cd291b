package com.pisync.testbed;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How every client that talks to a local server is built: an explicit {@link UrlConnectionHttpClient}
 * (owned and closed by the SDK client), {@link Region#US_EAST_1}, static credentials {@code local/local}
 * and an endpoint override. Nothing is read from the environment, profiles or instance metadata.
 */
public final class LocalClients {

    /** Region every local client uses. */
    public static final Region REGION = Region.US_EAST_1;

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private LocalClients() {
    }

    /** With interceptors: request meters, fault injection. */
    public static DynamoDbClient dynamoDb(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(Objects.requireNonNull(endpoint, "endpoint"))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** With interceptors: request meters, fault injection. */
    public static SqsClient sqs(URI endpoint, ExecutionInterceptor... interceptors) {
        return SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(Objects.requireNonNull(endpoint, "endpoint"))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** With interceptors: request meters, fault injection. */
    public static SnsClient sns(URI endpoint, ExecutionInterceptor... interceptors) {
        return SnsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(Objects.requireNonNull(endpoint, "endpoint"))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }
}
