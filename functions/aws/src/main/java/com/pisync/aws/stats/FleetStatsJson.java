package com.pisync.aws.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The body of {@code GET /v1/stats/fleet}, field for field as the API contract names them. */
public final class FleetStatsJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FleetStatsJson() {
    }

    /**
     * {@code {"devices": {"total", "healthy", "failing", "offline", "never_synced", "decommissioned"},
     * "last_24h": {"syncs", "failures", "files_synced", "avg_internet_speed"},
     * "daily": [{"date", "syncs", "failures", "files_synced"}, ...]}}
     */
    public static ObjectNode render(FleetStats stats) {
        ObjectNode body = NODES.objectNode();
        FleetStats.Devices d = stats.devices();
        ObjectNode devices = body.putObject("devices");
        devices.put("total", d.total());
        devices.put("healthy", d.healthy());
        devices.put("failing", d.failing());
        devices.put("offline", d.offline());
        devices.put("never_synced", d.neverSynced());
        devices.put("decommissioned", d.decommissioned());
        FleetStats.Last24h h = stats.last24h();
        ObjectNode last24h = body.putObject("last_24h");
        last24h.put("syncs", h.syncs());
        last24h.put("failures", h.failures());
        last24h.put("files_synced", h.filesSynced());
        if (h.avgInternetSpeed() == null) {
            last24h.putNull("avg_internet_speed");
        } else {
            last24h.put("avg_internet_speed", h.avgInternetSpeed());
        }
        ArrayNode daily = body.putArray("daily");
        for (FleetStats.Day day : stats.daily()) {
            ObjectNode entry = daily.addObject();
            entry.put("date", day.date().toString());
            entry.put("syncs", day.syncs());
            entry.put("failures", day.failures());
            entry.put("files_synced", day.filesSynced());
        }
        return body;
    }
}
