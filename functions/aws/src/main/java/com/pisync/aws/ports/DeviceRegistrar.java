package com.pisync.aws.ports;

import com.pisync.aws.audit.AuditContext;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceProfile;

/**
 * The admin's changes to the device registry. Each change is recorded in the audit log in the same write, as
 * {@code context}'s actor; a retry of a request already applied changes nothing and answers as the first time.
 */
public interface DeviceRegistrar {

    enum Outcome { DONE, NOT_FOUND, DECOMMISSIONED }

    /** The device's credential version after a change, or why there is none. */
    record Credential(Outcome outcome, long version) {
    }

    /** The device, or null when there is no item for it (also one that reported but was never registered). */
    Device get(String deviceId, boolean consistent);

    /** The registered device, or null when it is already registered (by another request). */
    Device register(DeviceProfile profile, AuditContext context);

    /** The device after the change, or null when it is not registered. */
    Device patch(String deviceId, DeviceProfile change, AuditContext context);

    /** Status decommissioned, credentials revoked, the open alert resolved (its transition to the outbox). */
    Outcome decommission(String deviceId, AuditContext context);

    /** A new credential version; tokens of the old one stop working. */
    Credential rotateToken(String deviceId, AuditContext context);
}
