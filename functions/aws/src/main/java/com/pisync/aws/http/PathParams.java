package com.pisync.aws.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.pisync.domain.DeviceId;
import com.pisync.domain.FieldError;
import java.util.List;
import java.util.Map;

/** Path parameters of a route, checked before they reach a table key. */
public final class PathParams {

    private PathParams() {
    }

    /**
     * The {@code {device_id}} of the route: null when the route has none.
     *
     * @throws ApiProblem 400 naming {@code device_id} when it could be no device's id (a look-alike
     *     character, empty, longer than 64): such an id is never stored, so it is refused as invalid
     *     rather than looked up (and a table key may not be empty or that long)
     */
    public static String deviceId(APIGatewayV2HTTPEvent request) {
        Map<String, String> path = request.getPathParameters();
        if (path == null || !path.containsKey("device_id")) {
            return null;
        }
        String id = path.get("device_id");
        String problem = DeviceId.problem(id);
        if (problem != null) {
            throw ApiProblem.badRequest("The device id in the path is not a valid device id.",
                    List.of(new FieldError("device_id", problem)));
        }
        return id;
    }
}
