package com.pisync.aws.alerts;

import com.pisync.domain.Alert;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.Incident;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What people read in an alert e-mail: a subject line (SNS: at most 100 printable ASCII characters, no line
 * breaks) and a few lines — the device or site, what happened, since when, the last error, the dashboard link.
 */
public final class Notifications {

    public static final int MAX_SUBJECT = 100;

    private final String dashboardUrl;

    /** @param dashboardUrl the dashboard's base URL (links are {@code <url>/#/devices/<id>}); null: no link */
    public Notifications(String dashboardUrl) {
        this.dashboardUrl = dashboardUrl == null || dashboardUrl.isBlank() ? null
                : dashboardUrl.replaceAll("/+$", "");
    }

    public String subject(AlertTransition t) {
        Alert a = t.alert();
        String where = a.site() == null ? "" : " at " + a.site();
        return t.kind() == AlertTransition.Kind.FAILURE_STREAK
                ? subjectLine("PiSync alert: " + a.deviceId() + where + " failed " + a.consecutiveFailures()
                        + " syncs in a row")
                : subjectLine("PiSync: " + a.deviceId() + where + " recovered");
    }

    public String email(AlertTransition t) {
        Alert a = t.alert();
        StringBuilder b = new StringBuilder();
        boolean failing = t.kind() == AlertTransition.Kind.FAILURE_STREAK;
        line(b, "Device", a.deviceId() + (a.site() == null ? "" : " (site " + a.site() + ")"));
        line(b, "What happened", failing
                ? "its last " + a.consecutiveFailures() + " syncs failed in a row (" + t.kind().type() + ")"
                : "it syncs again: the failure streak is over (" + t.kind().type() + ")");
        line(b, "Since", time(failing ? a.streakStartedAt() : a.resolvedAt())
                + (failing ? " (first failure of the streak)" : "; failing since " + time(a.streakStartedAt())));
        line(b, "Last error", a.lastError() == null ? "none reported" : a.lastError());
        if (dashboardUrl != null) {
            line(b, "Dashboard", dashboardUrl + "/#/devices/" + path(a.deviceId()));
        }
        line(b, "Alert", a.alertId());
        return b.toString();
    }

    public String subject(Incident i, String type) {
        return Incident.OPENED.equals(type)
                ? subjectLine("PiSync incident at " + i.site() + ": " + i.devicesAffected() + " of " + i.devicesActive()
                        + " devices failing or offline")
                : subjectLine("PiSync: incident at " + i.site() + " resolved");
    }

    public String email(Incident i, String type) {
        StringBuilder b = new StringBuilder();
        boolean opened = Incident.OPENED.equals(type);
        line(b, "Site", i.site());
        line(b, "What happened", opened
                ? i.devicesAffected() + " of its " + i.devicesActive() + " active devices are failing or offline at once ("
                        + type + "); their alerts are not sent one by one while the incident lasts"
                : "the incident is over: " + i.devicesAffected() + " of " + i.devicesActive()
                        + " active devices still failing or offline, at most " + i.peakAffected() + " at once (" + type + ")");
        line(b, "Since", time(i.openedAt()) + (opened ? "" : "; resolved " + time(i.resolvedAt())));
        line(b, "Last error", "see the affected devices on the dashboard");
        if (dashboardUrl != null) {
            line(b, "Dashboard", dashboardUrl + "/#/incidents/" + path(i.incidentId()));
        }
        line(b, "Incident", i.incidentId());
        return b.toString();
    }

    /** Printable ASCII only (others become '?'), one line, at most {@link #MAX_SUBJECT} characters. */
    static String subjectLine(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        String out = b.toString();
        return out.length() <= MAX_SUBJECT ? out : out.substring(0, MAX_SUBJECT - 3) + "...";
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(label).append(": ").append(value.replace('\n', ' ').replace('\r', ' ')).append('\n');
    }

    private static String time(Instant t) {
        return t == null ? "unknown" : t.toString();
    }

    private static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
