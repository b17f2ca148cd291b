package com.pisync.memory;

import com.pisync.aws.ports.AlertLog;
import com.pisync.aws.ports.Page;
import com.pisync.domain.Alert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Alerts in memory, newest opened first (ties: alert id), filtered as the alerts table's indexes are. */
public final class MemoryAlertLog implements AlertLog {

    private final Map<String, Alert> alerts = new LinkedHashMap<>();

    /** Stores (or replaces, by id) an alert. */
    public synchronized MemoryAlertLog put(Alert alert) {
        alerts.put(alert.alertId(), alert);
        return this;
    }

    @Override
    public synchronized Page<Alert> newestFirst(Filter f, String after, int limit) {
        List<Alert> in = alerts.values().stream()
                .filter(a -> f.deviceId() == null || f.deviceId().equals(a.deviceId()))
                .filter(a -> f.sites() == null || a.site() != null && f.sites().contains(a.site()))
                .filter(a -> f.state() == null || f.state().equals(a.state().wireName()))
                .toList();
        return SortedPages.page(in, a -> String.format(Locale.ROOT, "%013d#%s", a.openedAt().toEpochMilli(),
                a.alertId()), true, after, limit);
    }
}
