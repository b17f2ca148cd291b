package com.pisync.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import java.util.List;

/**
 * Establishes which device is calling, before anything in the body is looked at: the signature of
 * its bearer token, checked without any database read. Whether that token's credential version is
 * still the device's current one is checked against the device's inbox (see {@link SyncEventIngest}).
 */
@FunctionalInterface
public interface DeviceAuthenticator {

    /** No token check, the body's device_id is believed: only for pipeline tests of the local stack. */
    DeviceAuthenticator TRUST_BODY = request -> null;

    /**
     * @return the credential the token carries, or null when any device id in the body is accepted
     * @throws ApiProblem 401 when the request carries no valid device token
     */
    DeviceTokens.Credential authenticate(APIGatewayV2HTTPEvent request);

    static DeviceAuthenticator signed(DeviceTokens tokens) {
        return request -> {
            String header = HttpApi.header(request, "Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw unauthorized("Send the device token as 'Authorization: Bearer <device token>'.");
            }
            DeviceTokens.Credential credential = tokens.verify(header.substring(7).strip());
            if (credential == null) {
                throw unauthorized("The device token is not valid; use the token PiSync issued for this device.");
            }
            return credential;
        };
    }

    static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "/problems/unauthorized", "Unauthorized", detail, List.of());
    }
}
