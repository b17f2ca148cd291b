package com.pisync.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * Establishes which device is calling, before anything in the body is looked at. Device tokens
 * arrive with the security work; until then {@link #TRUST_BODY} lets each event name its device.
 */
@FunctionalInterface
public interface DeviceAuthenticator {

    /** No token check: the body's device_id is believed. */
    DeviceAuthenticator TRUST_BODY = request -> null;

    /**
     * @return the authenticated device id, or null when any device id in the body is accepted
     * @throws com.pisync.aws.http.ApiProblem 401 or 403 when the caller may not post
     */
    String authenticate(APIGatewayV2HTTPEvent request);
}
