package com.pisync.aws.ports;

import com.pisync.domain.Incident;
import java.util.List;

/** Site incidents: newest opened first, one by id, a site's open one. */
public interface IncidentLog {

    /**
     * @param state "open" or "resolved" (null: both)
     * @param sites only these sites' incidents (null: every site)
     */
    Page<Incident> newestFirst(String state, List<String> sites, String after, int limit);

    /** The incident (eventually consistent), or null. */
    Incident get(String incidentId);

    /** Ids of the devices the incident affected. */
    List<String> devices(String incidentId);

    /** The id of the site's open incident, or null. */
    String openIncidentId(String site);
}
