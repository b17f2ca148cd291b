package com.pisync.admin;

import com.pisync.aws.dynamodb.DeviceRecord;
import com.pisync.aws.dynamodb.SiteCalendars;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.DeviceStatuses;
import com.pisync.aws.ports.Page;
import com.pisync.domain.DeviceStatus;
import com.pisync.domain.SiteProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * After a site's profile changed: each of the site's devices (and only them, a page at a time) gets its
 * {@code offline_at} from its {@code last_seen_at} under the new calendar, and its status when that turns it
 * offline or back to healthy. Each write is version-guarded like every other device write; running it again
 * finds nothing to change.
 */
final class SiteReevaluation {

    static final int PAGE = 100;
    private static final int ATTEMPTS = 5;

    private final DeviceDirectory directory;
    private final DeviceStatuses statuses;
    private final SiteCalendars calendars;
    private final int failureThreshold;

    SiteReevaluation(DeviceDirectory directory, DeviceStatuses statuses, SiteCalendars calendars,
            int failureThreshold) {
        this.directory = directory;
        this.statuses = statuses;
        this.calendars = calendars;
        this.failureThreshold = failureThreshold;
    }

    /**
     * @param calendar the calendar version to stamp on the devices ({@code calendar_at}; see SiteCalendars)
     * @return how many devices got a new offline time or status
     */
    int reevaluate(SiteProfile profile, Instant calendar, Instant now) {
        DeviceDirectory.Filter bySite = DeviceDirectory.Filter.ofSite(profile.site());
        String after = null;
        int changed = 0;
        do {
            Page<String> page = directory.page(bySite, after, PAGE);
            List<String> ids = page.items();
            Map<String, DeviceRecord> records = statuses.loadAll(ids);
            for (String id : ids) {
                DeviceRecord record = records.get(id);
                if (record != null && reevaluate(record, profile, calendar, now)) {
                    changed++;
                }
            }
            after = page.nextAfter();
        } while (after != null);
        return changed;
    }

    /** @return true when the device got a new offline time or status (a new stamp alone does not count) */
    private boolean reevaluate(DeviceRecord record, SiteProfile profile, Instant calendar, Instant now) {
        for (int attempt = 1; ; attempt++) {
            if (!record.exists() || record.decommissioned() || record.state().lastSeenAt() == null
                    || !Objects.equals(record.site(), profile.site())) {
                return false; // nothing to time, or moved to another site since the index was read
            }
            Instant offlineAt = calendars.offlineAt(profile, record.state().lastSeenAt());
            DeviceStatus status = DeviceStatus.of(false, record.state(), failureThreshold, offlineAt, now);
            boolean moved = !Objects.equals(offlineAt, record.offlineAt()) || !status.wireName().equals(record.storedStatus());
            if (!moved && Objects.equals(calendar, record.calendarAt())) {
                return false;
            }
            // Stamped with the calendar's version even when the time did not move: processors holding an older
            // cached profile then read the new one before their next commit of this device (SiteCalendars).
            if (statuses.updateStatus(record, status, offlineAt, calendar)) {
                return moved;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("device " + record.state().deviceId() + " kept changing; retry");
            }
            record = statuses.load(record.state().deviceId());
        }
    }
}
