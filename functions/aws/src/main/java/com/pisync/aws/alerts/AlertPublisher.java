package com.pisync.aws.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.Incident;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Announces alert transitions and site incidents on the alerts topic (contract v1.1 "Notifications people
 * read"): published with {@code MessageStructure=json}, one message per protocol — {@code default}, {@code sqs}
 * and {@code lambda} carry the JSON body for machines (unchanged), {@code email} a few lines for people (see
 * {@link Notifications}); the subject line is the e-mail's. Message attributes {@code type}, {@code site} (and
 * {@code device_id} for device alerts) drive subscription filter policies.
 */
public final class AlertPublisher {

    /** SNS attribute values must not be empty; a device without a site is filed under this one. */
    public static final String NO_SITE = "unassigned";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsClient sns;
    private final String topicArn;
    private final Notifications text;

    public AlertPublisher(SnsClient sns, String topicArn) {
        this(sns, topicArn, null);
    }

    /** @param dashboardUrl where the e-mails link to (the dashboard's base URL); null: no link */
    public AlertPublisher(SnsClient sns, String topicArn, String dashboardUrl) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.text = new Notifications(dashboardUrl);
    }

    public void publish(AlertTransition transition) {
        Alert a = transition.alert();
        String site = a.site() == null || a.site().isEmpty() ? NO_SITE : a.site();
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put("type", string(transition.kind().type()));
        attributes.put("site", string(site));
        attributes.put("device_id", string(a.deviceId()));
        send(text.subject(transition), body(transition), text.email(transition), attributes);
    }

    /** {@code site.incident_opened} or {@code site.incident_resolved}: attributes {@code type} and {@code site}. */
    public void publish(Incident incident, String type) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put("type", string(type));
        attributes.put("site", string(incident.site()));
        send(text.subject(incident, type), body(incident, type), text.email(incident, type), attributes);
    }

    private void send(String subject, String json, String email, Map<String, MessageAttributeValue> attributes) {
        sns.publish(r -> r.topicArn(topicArn)
                .subject(subject)
                .messageStructure("json")
                .message(structured(json, email))
                .messageAttributes(attributes));
    }

    /** The per-protocol message: the JSON for machines everywhere but e-mail, which gets the text. */
    static String structured(String json, String email) {
        ObjectNode n = JSON.createObjectNode();
        n.put("default", json);
        n.put("sqs", json);
        n.put("lambda", json);
        n.put("http", json);
        n.put("https", json);
        n.put("email-json", json);
        n.put("email", email);
        return n.toString();
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

    /** The JSON of an incident message: the incident as {@code GET /v1/incidents} lists it, and the type. */
    public static String body(Incident i, String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("incident_id", i.incidentId());
        n.put("site", i.site());
        n.put("state", i.state().wireName());
        n.put("opened_at", i.openedAt() == null ? null : i.openedAt().toString());
        n.put("resolved_at", i.resolvedAt() == null ? null : i.resolvedAt().toString());
        n.put("devices_affected", i.devicesAffected());
        n.put("devices_active", i.devicesActive());
        n.put("peak_affected", i.peakAffected());
        return n.toString();
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
