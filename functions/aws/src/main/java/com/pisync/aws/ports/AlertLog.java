package com.pisync.aws.ports;

import com.pisync.domain.Alert;
import java.util.List;

/** Alerts, newest opened first. */
public interface AlertLog {

    /**
     * What an alert list is narrowed to.
     *
     * @param state "open" or "resolved" (null: both)
     * @param deviceId one device's alerts (null: every device)
     * @param sites only these sites' alerts (null: every site)
     */
    record Filter(String state, String deviceId, List<String> sites) {
    }

    Page<Alert> newestFirst(Filter filter, String after, int limit);
}
