package com.pisync.stats;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.pisync.aws.dynamodb.DeviceItems;
import com.pisync.aws.dynamodb.StreamImage;
import com.pisync.aws.incidents.IncidentMonitor;
import com.pisync.domain.DeviceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which sites a delivery of device records may open or close an incident for: those whose devices changed
 * status or site (the same records that move the per-site status counters), with the devices that turned
 * failing or offline. Plain logic, no AWS calls.
 */
final class IncidentTriggers {

    private IncidentTriggers() {
    }

    static List<IncidentMonitor.SiteChange> of(List<DynamodbStreamRecord> delivery, FleetCounting counting) {
        Map<String, Set<String>> bySite = new LinkedHashMap<>();
        for (DynamodbStreamRecord r : delivery) {
            if (r.getDynamodb() == null || counting.sourceOf(r) != FleetCounting.Source.DEVICES) {
                continue;
            }
            StreamImage before = StreamImage.of(r.getDynamodb().getOldImage());
            StreamImage after = StreamImage.of(r.getDynamodb().getNewImage());
            String oldStatus = string(before, DeviceItems.STATUS);
            String newStatus = string(after, DeviceItems.STATUS);
            String oldSite = string(before, DeviceItems.SITE);
            String newSite = string(after, DeviceItems.SITE);
            if (Objects.equals(oldStatus, newStatus) && Objects.equals(oldSite, newSite)) {
                continue;
            }
            if (oldSite != null && !oldSite.isEmpty()) {
                bySite.computeIfAbsent(oldSite, s -> new LinkedHashSet<>());
            }
            if (newSite != null && !newSite.isEmpty()) {
                Set<String> ids = bySite.computeIfAbsent(newSite, s -> new LinkedHashSet<>());
                String deviceId = string(after, DeviceItems.DEVICE_ID);
                if (deviceId != null && (DeviceStatus.FAILING.wireName().equals(newStatus)
                        || DeviceStatus.OFFLINE.wireName().equals(newStatus))) {
                    ids.add(deviceId);
                }
            }
        }
        List<IncidentMonitor.SiteChange> changes = new ArrayList<>();
        bySite.forEach((site, ids) -> changes.add(new IncidentMonitor.SiteChange(site, List.copyOf(ids))));
        return changes;
    }

    private static String string(StreamImage item, String name) {
        return item.string(name);
    }
}
