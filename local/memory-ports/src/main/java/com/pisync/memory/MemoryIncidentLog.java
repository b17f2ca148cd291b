package com.pisync.memory;

import com.pisync.aws.ports.IncidentLog;
import com.pisync.aws.ports.Page;
import com.pisync.domain.Incident;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Site incidents in memory, newest opened first (ties: incident id), with their affected devices. */
public final class MemoryIncidentLog implements IncidentLog {

    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private final Map<String, List<String>> devices = new HashMap<>();

    /** Stores (or replaces, by id) an incident and the devices it affected. */
    public synchronized MemoryIncidentLog put(Incident incident, List<String> affected) {
        incidents.put(incident.incidentId(), incident);
        devices.put(incident.incidentId(), List.copyOf(affected));
        return this;
    }

    @Override
    public synchronized Page<Incident> newestFirst(String state, List<String> sites, String after, int limit) {
        List<Incident> in = incidents.values().stream()
                .filter(i -> sites == null || sites.contains(i.site()))
                .filter(i -> state == null || state.equals(i.state().wireName()))
                .toList();
        return SortedPages.page(in, i -> String.format(Locale.ROOT, "%013d#%s", i.openedAt().toEpochMilli(),
                i.incidentId()), true, after, limit);
    }

    @Override
    public synchronized Incident get(String incidentId) {
        return incidents.get(incidentId);
    }

    @Override
    public synchronized List<String> devices(String incidentId) {
        return devices.getOrDefault(incidentId, List.of());
    }

    @Override
    public synchronized String openIncidentId(String site) {
        return incidents.values().stream().filter(i -> site.equals(i.site()) && i.isOpen())
                .map(Incident::incidentId).findFirst().orElse(null);
    }
}
