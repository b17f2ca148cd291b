package com.pisync.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

/**
 * SnapStart functions get no key variables: their credentials come from the container credentials endpoint.
 * Served here by a loopback endpoint shaped like Lambda's (bearer token, JSON with an expiry).
 */
class LambdaCredentialsTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        System.clearProperty("aws.containerCredentialsFullUri");
        System.clearProperty("aws.containerAuthorizationToken");
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void snapStartFunctionsReadTheContainerCredentialsEndpoint() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2018-06-01/credentials", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("{\"AccessKeyId\":\"ASIASNAPSTART\",\"SecretAccessKey\":\"secret\",\"Token\":\"session\","
                    + "\"Expiration\":\"" + Instant.now().plusSeconds(3600) + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/2018-06-01/credentials";
        // The SDK reads these settings from system properties before the environment.
        System.setProperty("aws.containerCredentialsFullUri", uri);
        System.setProperty("aws.containerAuthorizationToken", "lambda-token");

        var provider = AwsClients.lambdaCredentials(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri));
        var credentials = (AwsSessionCredentials) provider.resolveCredentials();

        assertEquals("ASIASNAPSTART", credentials.accessKeyId());
        assertEquals("session", credentials.sessionToken());
        assertEquals(List.of("lambda-token"), authorizations);
    }

    @Test
    void otherFunctionsReadTheKeyVariables() {
        assertInstanceOf(EnvironmentVariableCredentialsProvider.class,
                AwsClients.lambdaCredentials(Map.of("AWS_ACCESS_KEY_ID", "AKIA")));
    }
}
