package com.pisync.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS clients a function uses, once per container: the lean URLConnection HTTP client,
 * the region and credentials Lambda provides (see {@link #lambdaCredentials}), and no provider-chain
 * probing at cold start. {@code DYNAMODB_ENDPOINT}, {@code SQS_ENDPOINT} and {@code SNS_ENDPOINT} point them at
 * local servers.
 */
public final class AwsClients {

    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final SdkHttpClient http;
    private final Region region;
    private final AwsCredentialsProvider credentials;

    public AwsClients(Map<String, String> env) {
        this.env = env;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
        this.region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        this.credentials = lambdaCredentials(env);
    }

    /**
     * Where Lambda puts the function's credentials: a SnapStart function has no key variables (a snapshot must
     * not hold credentials) and reads them from the container credentials endpoint named by
     * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, refreshed as they expire; any other function has them in
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}. Chosen once from the
     * environment rather than by probing the SDK's default chain.
     */
    public static AwsCredentialsProvider lambdaCredentials(Map<String, String> env) {
        String containerUri = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        return containerUri != null && !containerUri.isBlank()
                ? ContainerCredentialsProvider.builder().build()
                : EnvironmentVariableCredentialsProvider.create();
    }

    public static AwsClients fromEnvironment() {
        return new AwsClients(System.getenv());
    }

    public DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        endpoint("DYNAMODB_ENDPOINT").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public SqsClient sqs() {
        var builder = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        endpoint("SQS_ENDPOINT").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public SnsClient sns() {
        var builder = SnsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        endpoint("SNS_ENDPOINT").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(API_TIMEOUT).build();
    }

    private java.util.Optional<URI> endpoint(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(URI.create(value));
    }
}
