package com.pisync.aws.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertTransition;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Announces alert transitions on the alerts topic: a JSON body, and message attributes {@code type},
 * {@code site} and {@code device_id} for subscription filter policies.
 */
public final class AlertPublisher {

    /** SNS attribute values must not be empty; a device without a site is filed under this one. */
    public static final String NO_SITE = "unassigned";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsClient sns;
    private final String topicArn;

    public AlertPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    public void publish(AlertTransition transition) {
        Alert a = transition.alert();
        String site = a.site() == null || a.site().isEmpty() ? NO_SITE : a.site();
        sns.publish(r -> r.topicArn(topicArn)
                .subject(transition.kind() == AlertTransition.Kind.FAILURE_STREAK
                        ? "PiSync alert: " + a.deviceId() + " failing"   // SNS subjects stop at 100 chars
                        : "PiSync: " + a.deviceId() + " recovered")
                .message(body(transition))
                .messageAttributes(Map.of(
                        "type", string(transition.kind().type()),
                        "site", string(site),
                        "device_id", string(a.deviceId()))));
    }

    public static String body(AlertTransition transition) {
        Alert a = transition.alert();
        ObjectNode n = JSON.createObjectNode();
        n.put("type", transition.kind().type());
        n.put("transition_id", transition.id());
        n.put("alert_id", a.alertId());
        n.put("device_id", a.deviceId());
        n.put("site", a.site());
        n.put("state", a.state().wireName());
        n.put("consecutive_failures", a.consecutiveFailures());
        n.put("streak_started_at", a.streakStartedAt() == null ? null : a.streakStartedAt().toString());
        n.put("opened_at", a.openedAt() == null ? null : a.openedAt().toString());
        n.put("resolved_at", a.resolvedAt() == null ? null : a.resolvedAt().toString());
        n.put("last_error", a.lastError());
        return n.toString();
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
