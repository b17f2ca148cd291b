package com.pisync.auth;

import com.pisync.aws.AwsClients;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * The Cognito client of the auth function, built the way {@code com.pisync.aws.AwsClients} builds the
 * others: the lean URLConnection HTTP client, the region and the credentials Lambda provides (SnapStart or not),
 * no provider-chain probing at cold start. {@code COGNITO_ENDPOINT} points it at a local server
 * (cognito-local).
 */
final class CognitoClients {

    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);

    private CognitoClients() {
    }

    static CognitoIdentityProviderClient fromEnvironment(Map<String, String> env) {
        var builder = CognitoIdentityProviderClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(AwsClients.lambdaCredentials(env))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(API_TIMEOUT).build());
        String endpoint = env.get("COGNITO_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /** A required setting, or a start-up failure naming it. */
    static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " must be set");
        }
        return value;
    }
}
