package com.pisync.aws.views;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.HttpApi;
import com.pisync.domain.Incident;
import java.util.List;

/** A site incident as the API shows it (contract v1.1). */
public final class IncidentView {

    private IncidentView() {
    }

    /** {@code GET /v1/incidents} items, a site's {@code open_incident}. */
    public static ObjectNode of(Incident i) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("incident_id", i.incidentId());
        n.put("site", i.site());
        n.put("state", i.state().wireName());
        n.put("opened_at", Views.time(i.openedAt()));
        n.put("resolved_at", Views.time(i.resolvedAt()));
        n.put("devices_affected", i.devicesAffected());
        n.put("devices_active", i.devicesActive());
        n.put("peak_affected", i.peakAffected());
        return n;
    }

    /** {@code GET /v1/incidents/{incident_id}}: the same and the affected device ids. */
    public static ObjectNode withDevices(Incident i, List<String> deviceIds) {
        ObjectNode n = of(i);
        ArrayNode devices = n.putArray("devices");
        deviceIds.stream().sorted().forEach(devices::add);
        return n;
    }
}
