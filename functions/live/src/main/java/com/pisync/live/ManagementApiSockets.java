package com.pisync.live;

import com.pisync.aws.AwsClients;
import com.pisync.aws.live.LiveSockets;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * The AWS adapter of {@link LiveSockets}: API Gateway's Management API ({@code PostToConnection}) on the WebSocket
 * API's stage, {@code LIVE_CALLBACK_URL} = {@code https://<api-id>.execute-api.<region>.amazonaws.com/<stage>}. The
 * function may call it on that API only ({@code execute-api:ManageConnections}, granted by the CDK app).
 */
public final class ManagementApiSockets implements LiveSockets {

    private final ApiGatewayManagementApiClient client;

    public ManagementApiSockets(ApiGatewayManagementApiClient client) {
        this.client = client;
    }

    public static ManagementApiSockets fromEnvironment() {
        var env = System.getenv();
        String callback = env.get("LIVE_CALLBACK_URL");
        if (callback == null || callback.isBlank()) {
            throw new IllegalStateException("LIVE_CALLBACK_URL is not set (the WebSocket API's https:// stage URL)");
        }
        return new ManagementApiSockets(ApiGatewayManagementApiClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)).build())
                .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(AwsClients.lambdaCredentials(env))
                .endpointOverride(URI.create(callback))
                .build());
    }

    @Override
    public boolean send(String connectionId, String message) {
        try {
            client.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromUtf8String(message)));
            return true;
        } catch (GoneException gone) {
            return false;
        }
    }
}
