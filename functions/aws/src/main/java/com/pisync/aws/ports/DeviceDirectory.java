package com.pisync.aws.ports;

import com.pisync.domain.Device;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads of the device registry by the dashboard's access patterns. Listing methods give device ids a page at a
 * time, at a cost that depends on the page size, not the fleet; {@link #get(List)} fetches the page's devices.
 */
public interface DeviceDirectory {

    /**
     * What a device list is narrowed to, as stored (a status computed on read may differ: callers check again).
     *
     * @param sites only devices of these sites (null: every site)
     * @param status only devices whose stored status has this wire name (null: any)
     * @param type only devices of this type (null: any)
     */
    record Filter(List<String> sites, String status, String type) {
        public static final Filter ALL = new Filter(null, null, null);

        public static Filter ofSite(String site) {
            return new Filter(List.of(site), null, null);
        }
    }

    /** The device (strongly consistent), or null when there is no item for it. */
    Device get(String deviceId);

    /** These devices (eventually consistent), by id; ids without a device are absent. */
    Map<String, Device> get(List<String> deviceIds);

    /** Device ids in id order; a page's position is its last id, so any device id may serve as {@code after}. */
    Page<String> page(Filter filter, String after, int limit);

    /** Ids starting with {@code prefix}, in id order. */
    Page<String> idsStartingWith(String prefix, String after, int limit);

    /** Ids of devices whose name starts with {@code lowerCasePrefix} (case-insensitive), in name order. */
    Page<String> namesStartingWith(String lowerCasePrefix, String after, int limit);

    /** Failing devices, longest current streak first. */
    Page<String> failing(String after, int limit);

    /**
     * Devices holding unsynced data, oldest {@code data_at_risk_since} first, then more pending files first.
     *
     * @param sites only these sites' devices (null: every site)
     * @param atRiskSinceUpTo only data at risk since this time or earlier (null: any)
     */
    Page<String> atRisk(List<String> sites, Instant atRiskSinceUpTo, String after, int limit);
}
