package com.pisync.aws;

import com.pisync.aws.observability.Log;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. Lambda snapshots a function's initialised JVM after running every registered
 * {@code beforeCheckpoint} hook, so what the hook does — loading and linking Jackson, the SDK's marshallers,
 * signer and endpoint rules, our own request path, and the first JIT work on them — is in the snapshot instead
 * of in the first request of every restored environment. A function's priming uses only read-only or refused
 * requests (it must never write: snapshots are taken at every deployment, not per request).
 *
 * <p>Outside SnapStart (local runs, tests, a JVM without CRaC) the hook never runs; {@link #primeNow()} runs the
 * same work on demand, which is how the tests check that priming succeeds against real local servers. A
 * priming that fails is logged and swallowed: a cold first request is better than no snapshot.
 */
public final class SnapStartPriming implements Resource {

    private final String function;
    private final Runnable priming;

    private SnapStartPriming(String function, Runnable priming) {
        this.function = function;
        this.priming = priming;
    }

    /**
     * Registers {@code priming} to run before the snapshot. The CRaC context holds resources weakly: keep the
     * returned object in a field of the handler.
     */
    public static SnapStartPriming register(String function, Runnable priming) {
        SnapStartPriming resource = new SnapStartPriming(function, priming);
        Core.getGlobalContext().register(resource);
        return resource;
    }

    /** Runs the priming now; returns whether it completed. */
    public boolean primeNow() {
        try {
            priming.run();
            return true;
        } catch (RuntimeException e) {
            Log.of(function).warn("SnapStart priming failed", java.util.Map.of("primed", function), e);
            return false;
        }
    }

    /**
     * A request as API Gateway (HTTP API, payload 2.0) hands it to a function, for a priming that goes through
     * the handler's real route. {@code claims}: what the JWT authorizer verified, or null.
     */
    public static APIGatewayV2HTTPEvent apiRequest(String routeKey, String path, Map<String, String> pathParameters,
            Map<String, String> headers, String body, Map<String, String> claims) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(routeKey);
        event.setRawPath(path);
        event.setRawQueryString("");
        event.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        Map<String, String> allHeaders = new HashMap<>(headers);
        allHeaders.put("content-type", "application/json");
        event.setHeaders(allHeaders);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(routeKey)
                .withRequestId("snapstart-priming-" + UUID.randomUUID())
                .withStage("$default")
                .withTimeEpoch(System.currentTimeMillis())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(routeKey.split(" ")[0])
                        .withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                .withAuthorizer(claims == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                        .build())
                .build());
        return event;
    }

    /** Fails the priming (logged by {@link #primeNow}) when a primed request did not take the expected path. */
    public static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("priming: " + what);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        primeNow();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: clients open new connections as needed and credentials come from the container
        // endpoint after the restore (AwsClients.lambdaCredentials).
    }
}
