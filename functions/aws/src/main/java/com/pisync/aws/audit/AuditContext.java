package com.pisync.aws.audit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.aws.auth.Caller;
import com.pisync.domain.AuditEntry;
import java.time.Clock;
import java.time.Instant;

/**
 * Who made a request, which request, from where and when: what every audit entry of that request shares.
 * The actor is the verified token's username ({@link AuditEntry#ANONYMOUS} without one); the request id is
 * API Gateway's, the same on every delivery of that request to the function, which makes the entry ids of a
 * retried request the same.
 */
public record AuditContext(String actor, String requestId, String sourceIp, Instant at) {

    public static AuditContext of(APIGatewayV2HTTPEvent request, Clock clock) {
        String actor = AuditEntry.ANONYMOUS;
        try {
            actor = Caller.of(request).username();
        } catch (RuntimeException noCaller) {
            // a public route: sign-in
        }
        return of(request, actor, clock);
    }

    /** For public routes, where the actor is who the request says it is (the username of a failed sign-in). */
    public static AuditContext of(APIGatewayV2HTTPEvent request, String actor, Clock clock) {
        var context = request.getRequestContext();
        String requestId = context == null ? null : context.getRequestId();
        String sourceIp = context == null || context.getHttp() == null ? null : context.getHttp().getSourceIp();
        return new AuditContext(actor == null ? AuditEntry.ANONYMOUS : actor, requestId, sourceIp, clock.instant());
    }

    /** The entry of one change this request made. */
    public AuditEntry entry(String action, String targetType, String targetId, JsonNode before, JsonNode after) {
        return AuditEntry.of(at, actor, action, targetType, targetId, before, after, requestId, sourceIp);
    }
}
